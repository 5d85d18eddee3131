namespace Proxies.Cli;

/// <summary>How to start this CLI again (for worker processes and resume hints), as apphost or `dotnet x.dll`.</summary>
public static class Self
{
    static readonly bool ViaDotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath ?? "dotnet") == "dotnet";

    public static string FileName => Environment.ProcessPath ?? "dotnet";

    public static IReadOnlyList<string> ArgumentsPrefix => ViaDotnet ? new[] { typeof(Program).Assembly.Location } : Array.Empty<string>();

    /// <summary>Whether this is the installed `proxies` tool: `dotnet tool install` unpacks a tool under a .store folder.</summary>
    static readonly bool InstalledTool = typeof(Program).Assembly.Location.Replace('\\', '/').Contains("/.store/", StringComparison.Ordinal);

    /// <summary>The command that runs <paramref name="verb"/> again, as the user started it: `proxies …` from the
    /// installed tool, `dotnet run --project …` from the repository.</summary>
    public static string CommandLine(string[] verbArgs, string verb) =>
        (InstalledTool ? "proxies" : "dotnet run --project lib/Proxies.Cli -c Release --") + $" {verb} {string.Join(' ', verbArgs)}";
}
