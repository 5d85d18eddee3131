using System.Diagnostics;
using Proxies.Results;

namespace Proxies.Tests.Reliability;

/// <summary>
/// kill -9 a sweep with two workers at random moments, resume each time: at the end every run exists exactly
/// once, every file parses, and the results equal those of an uninterrupted sweep. CI kills 6 times; with
/// PROXIES_LONG_TESTS=1 it kills 25 times.
/// </summary>
public class KillResumeTests
{
    static bool Long => Environment.GetEnvironmentVariable("PROXIES_LONG_TESTS") == "1";

    [Fact]
    public void RandomKillsLoseNothingAndResumeToTheUninterruptedResult()
    {
        const string experiment = "lr-sensitivity";
        var killed = Directory.CreateTempSubdirectory("proxies-killed-").FullName;
        var clean = Directory.CreateTempSubdirectory("proxies-clean-").FullName;
        var random = new Random(7);
        int kills = Long ? 25 : 6, killedMidway = 0;
        for (int i = 0; i < kills; i++)
        {
            using var p = CliProcess.Start("sweep", experiment, "--profile", "smoke", "--workers", "2", "--threads", "1", "--out", killed);
            var clock = Stopwatch.StartNew();
            Thread.Sleep(random.Next(300, 2500));
            if (!p.HasExited) { p.Kill(entireProcessTree: random.Next(2) == 0); killedMidway++; }
            p.WaitForExit();
            // Every file parses after every kill.
            var store = new ResultsStore(killed, experiment);
            if (File.Exists(store.RunsCsv))
                foreach (var run in store.Runs()) Assert.True(File.Exists(store.CurvePath(run.RunId)), $"row without curve after kill {i}");
        }
        var (code, stdout, stderr) = CliProcess.Run("sweep", experiment, "--profile", "smoke", "--workers", "2", "--threads", "1", "--out", killed);
        Assert.True(code == 0, stdout + stderr);
        (code, stdout, stderr) = CliProcess.Run("sweep", experiment, "--profile", "smoke", "--workers", "2", "--threads", "1", "--out", clean);
        Assert.True(code == 0, stdout + stderr);

        var a = new ResultsStore(killed, experiment);
        var b = new ResultsStore(clean, experiment);
        var resumed = a.Runs();
        var uninterrupted = b.Runs().ToDictionary(r => r.RunId);
        Assert.Equal(8, resumed.Count);
        Assert.Equal(resumed.Count, resumed.Select(r => r.RunId).Distinct().Count());     // exactly once
        foreach (var r in resumed)
        {
            Assert.Equal(uninterrupted[r.RunId].FinalEvalLoss, r.FinalEvalLoss);            // bitwise: one thread per worker
            Assert.Equal(uninterrupted[r.RunId].MaxAttnLogit, r.MaxAttnLogit);
            Assert.Equal(CurveFile.Read(b.CurvePath(r.RunId)).Values("loss"), CurveFile.Read(a.CurvePath(r.RunId)).Values("loss"));
        }
        Assert.True(killedMidway >= kills / 2, $"only {killedMidway} of {kills} kills hit a running sweep");
        Console.WriteLine($"kill -9: {kills} kills, {killedMidway} mid-sweep; resumed to {resumed.Count} runs, all equal to the uninterrupted sweep");
    }

    [Fact]
    public void SigtermStopsCleanlyAndSaysHowToResume()
    {
        var folder = Directory.CreateTempSubdirectory("proxies-term-").FullName;
        using var p = CliProcess.Start("sweep", "attention-logit-growth", "--profile", "smoke", "--workers", "2", "--out", folder);
        var stderr = p.StandardError.ReadToEndAsync();
        // Wait for the first finished run, then ask it to stop.
        for (string? line; (line = p.StandardOutput.ReadLine()) is not null;)
            if (line.Contains("sweep 1/")) break;
        CliProcess.Signal(p, CliProcess.SigTerm);
        Assert.True(p.WaitForExit(30_000), "SIGTERM did not stop the sweep");
        Assert.Equal(130, p.ExitCode);
        Assert.Contains("Resume with the same command", stderr.Result);
        var manifest = Manifest.Read(new ResultsStore(folder, "attention-logit-growth").ManifestPath)!;
        Assert.Equal("interrupted", (string?)manifest["sweeps"]![0]!["outcome"]);
        var (code, _, _) = CliProcess.Run("sweep", "attention-logit-growth", "--profile", "smoke", "--out", folder);
        Assert.Equal(0, code);
        Assert.Equal(8, new ResultsStore(folder, "attention-logit-growth").Runs().Count);
    }
}
