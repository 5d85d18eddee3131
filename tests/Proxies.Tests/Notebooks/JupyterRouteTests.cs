using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Proxies.Tests.Notebooks;

/// <summary>
/// The Jupyter route a user takes outside VS Code: the kernel registered with Jupyter (`dotnet interactive jupyter
/// install`) and a notebook executed by Jupyter's own nbconvert with the .net-csharp kernel. Needs Jupyter (skipped
/// without it, required in CI).
/// </summary>
public class JupyterRouteTests
{
    [SkippableFact]
    public void NotebookZeroRunsCleanUnderJupyterNbconvertWithTheDotnetKernel()
    {
        Optional.Need(Optional.Jupyter());
        var root = Repository.Root();
        // Registering the kernel spec is idempotent; Jupyter needs its kernels folder to exist first.
        Directory.CreateDirectory(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "jupyter", "kernels"));
        var (code, output) = Run(root, [], "dotnet", "tool", "run", "dotnet-interactive", "--", "jupyter", "install");
        Assert.True(code == 0, output);

        var outDir = Directory.CreateTempSubdirectory("proxies-jupyter-").FullName;
        var env = new Dictionary<string, string>
        {
            ["PROXIES_PROFILE"] = "smoke",
            ["PROXIES_RESULTS"] = Path.Combine(outDir, "results"),
            ["PROXIES_FIGURES"] = Path.Combine(outDir, "figures"),
        };
        (code, output) = Run(Path.Combine(root, "notebooks"), env, "jupyter-nbconvert", "--to", "notebook", "--execute", "00-setup.ipynb",
            "--output-dir", outDir, "--ExecutePreprocessor.kernel_name=.net-csharp", "--ExecutePreprocessor.timeout=600");
        Assert.True(code == 0, output);
        var executed = Path.Combine(outDir, "00-setup.ipynb");
        NbformatValidator.AssertValid(executed);
        var outputs = JsonNode.Parse(File.ReadAllText(executed))!["cells"]!.AsArray().OfType<JsonObject>()
            .SelectMany(c => c["outputs"]?.AsArray().OfType<JsonObject>() ?? []).ToList();
        Assert.DoesNotContain(outputs, o => (string?)o["output_type"] == "error");
        Assert.Contains(outputs, o => o["data"]?["text/html"]?.ToJsonString().Contains("Plotly.newPlot") == true);
        Assert.True(File.Exists(Path.Combine(outDir, "figures", "00-first-run.html")));
    }

    static (int Code, string Output) Run(string folder, Dictionary<string, string> env, params string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in command.Skip(1)) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(900_000)) { p.Kill(true); throw new TimeoutException(string.Join(' ', command) + " ran over 15 minutes"); }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
