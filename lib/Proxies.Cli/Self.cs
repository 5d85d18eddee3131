namespace Proxies.Cli;

/// <summary>How to start this CLI again (for worker processes and resume hints), as apphost or `dotnet x.dll`.</summary>
public static class Self
{
    static readonly bool ViaDotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath ?? "dotnet") == "dotnet";

    public static string FileName => Environment.ProcessPath ?? "dotnet";

    public static IReadOnlyList<string> ArgumentsPrefix => ViaDotnet ? new[] { typeof(Program).Assembly.Location } : Array.Empty<string>();

    public static string CommandLine(string[] verbArgs, string verb) =>
        $"dotnet run --project lib/Proxies.Cli -c Release -- {verb} {string.Join(' ', verbArgs)}";
}
