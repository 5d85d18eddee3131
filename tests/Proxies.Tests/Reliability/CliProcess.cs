using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Proxies.Tests.Reliability;

/// <summary>The CLI as a separate process (its apphost beside the tests), for kills, signals and exit codes.</summary>
static class CliProcess
{
    public static string AppHost => Path.Combine(AppContext.BaseDirectory, "Proxies.Cli");

    public static Process Start(params string[] args) => Start(null, args);

    /// <param name="environment">variables to set for the CLI (SLURM_CONF for a test cluster)</param>
    public static Process Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo(AppHost)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        return Process.Start(info)!;
    }

    public static (int Code, string Stdout, string Stderr) Run(params string[] args) => Run(TimeSpan.FromMinutes(5), args);

    public static (int Code, string Stdout, string Stderr) Run(TimeSpan limit, params string[] args) => Run(limit, null, args);

    public static (int Code, string Stdout, string Stderr) Run(TimeSpan limit, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var p = Start(environment, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(limit)) { p.Kill(true); throw new TimeoutException($"proxies {string.Join(' ', args)} ran over {limit.TotalMinutes} minutes"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);

    public static void Signal(Process p, int signal) => kill(p.Id, signal);

    public const int SigTerm = 15, SigInt = 2;

    /// <summary>Whether this process may mount a tmpfs (root on Linux): used to make a real read-only or full disk.</summary>
    public static bool TryMount(string folder, string options)
    {
        Directory.CreateDirectory(folder);
        using var p = Process.Start(new ProcessStartInfo("mount", $"-t tmpfs -o {options} tmpfs {folder}")
            { RedirectStandardError = true, UseShellExecute = false })!;
        p.WaitForExit();
        return p.ExitCode == 0;
    }

    public static void Unmount(string folder)
    {
        using var p = Process.Start(new ProcessStartInfo("umount", folder) { UseShellExecute = false })!;
        p.WaitForExit();
    }
}
