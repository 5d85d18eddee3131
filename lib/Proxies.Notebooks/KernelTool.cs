using System.Diagnostics;

namespace Proxies.Notebooks;

/// <summary>
/// Finds the .NET Interactive kernel (the dotnet-interactive tool, 1.0.712001, the final release): the workbook's local
/// tool (dotnet-tools.json in the repository's root, restored on first use like any NuGet package), else a global
/// install on PATH (<c>dotnet tool install -g Microsoft.dotnet-interactive</c>).
/// </summary>
public sealed record KernelTool(string[] Command, string Folder)
{
    public const string ManifestName = "dotnet-tools.json";

    /// <summary>The command that starts the kernel on stdio, changing to <paramref name="workingDirectory"/> (the notebook's
    /// folder, so that <c>#r "../lib/…"</c> resolves as it does in VS Code).</summary>
    public string[] StdioCommand(string workingDirectory) => [.. Command, "stdio", "--working-dir", workingDirectory];

    /// <summary>Locates the kernel, restoring the local tool if needed; throws with what to do when there is none.</summary>
    public static KernelTool Locate(TextWriter log)
    {
        if (FindManifestFolder() is { } root)
        {
            var local = new KernelTool(["dotnet", "tool", "run", "dotnet-interactive", "--"], root);
            if (Works(local)) return local;
            log.WriteLine($"restoring the .NET Interactive kernel (dotnet tool restore in {root})");
            var (code, output) = Execute(["dotnet", "tool", "restore"], root);
            if (code == 0 && Works(local)) return local;
            throw new InvalidOperationException($"`dotnet tool restore` in {root} failed, so the .NET Interactive kernel is missing:\n{output}");
        }
        var global = new KernelTool(["dotnet-interactive"], Directory.GetCurrentDirectory());
        if (Works(global)) return global;
        throw new InvalidOperationException(
            "The .NET Interactive kernel was not found: run the notebooks from the workbook's folder (its dotnet-tools.json " +
            "installs the kernel), or install it with `dotnet tool install -g Microsoft.dotnet-interactive --version 1.0.712001`.");
    }

    /// <summary>The nearest folder, from the current directory or from this program's own folder upwards, whose
    /// dotnet-tools.json names the kernel.</summary>
    static string? FindManifestFolder()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var manifest = Path.Combine(dir.FullName, ManifestName);
                if (File.Exists(manifest) && File.ReadAllText(manifest).Contains("microsoft.dotnet-interactive", StringComparison.OrdinalIgnoreCase))
                    return dir.FullName;
            }
        return null;
    }

    static bool Works(KernelTool tool)
    {
        try { return Execute([.. tool.Command, "--version"], tool.Folder).Code == 0; }
        catch (System.ComponentModel.Win32Exception) { return false; }   // not on PATH
    }

    static (int Code, string Output) Execute(string[] command, string folder)
    {
        var info = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in command.Skip(1)) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
