using System.Diagnostics;
using Proxies.Results;
using Proxies.Sweeps;

namespace Proxies.Tests.Reliability;

/// <summary>
/// kill -9 a sweep with two workers at random moments, resume each time: at the end every run exists exactly
/// once, every file parses, and the results equal those of an uninterrupted sweep. CI kills at least 6 running
/// sweeps; with PROXIES_LONG_TESTS=1 at least 25.
/// </summary>
public class KillResumeTests
{
    static bool Long => Environment.GetEnvironmentVariable("PROXIES_LONG_TESTS") == "1";

    [Fact]
    public void RandomKillsLoseNothingAndResumeToTheUninterruptedResult()
    {
        const string experiment = "lr-sensitivity";
        string[] Sweep(string folder) => ["sweep", experiment, "--profile", "smoke", "--workers", "2", "--threads", "1", "--out", folder];
        var clean = Directory.CreateTempSubdirectory("proxies-clean-").FullName;
        var (code, stdout, stderr) = CliProcess.Run(Sweep(clean));
        Assert.True(code == 0, stdout + stderr);
        var uninterrupted = new ResultsStore(clean, experiment);
        var reference = uninterrupted.Runs().ToDictionary(r => r.RunId);

        // Rounds: kill -9 a sweep at random moments until it completes, resume, compare; until enough kills hit.
        var random = new Random(7);
        int target = Long ? 25 : 6, killed = 0, rounds = 0;
        while (killed < target && rounds < 60)
        {
            rounds++;
            var folder = Directory.CreateTempSubdirectory("proxies-killed-").FullName;
            var store = new ResultsStore(folder, experiment);
            while (true)
            {
                using var p = CliProcess.Start(Sweep(folder));
                Thread.Sleep(random.Next(300, 1800));
                if (p.HasExited) break;                               // this round's sweep completed
                p.Kill(entireProcessTree: random.Next(2) == 0);       // the workers too, or only the parent
                p.WaitForExit();
                killed++;
                if (File.Exists(store.RunsCsv))                       // every file parses after every kill
                    foreach (var run in store.Runs()) CurveFile.Read(store.CurvePath(run.RunId));
            }
            (code, stdout, stderr) = CliProcess.Run(Sweep(folder));
            Assert.True(code == 0, stdout + stderr);
            var resumed = store.Runs();
            Assert.Equal(reference.Count, resumed.Count);
            Assert.Equal(resumed.Count, resumed.Select(r => r.RunId).Distinct().Count());     // exactly once
            foreach (var r in resumed)
            {
                Assert.Equal(reference[r.RunId].FinalEvalLoss, r.FinalEvalLoss);             // bitwise: one thread per worker
                Assert.Equal(reference[r.RunId].MaxAttnLogit, r.MaxAttnLogit);
                Assert.Equal(CurveFile.Read(uninterrupted.CurvePath(r.RunId)).Values("loss"), CurveFile.Read(store.CurvePath(r.RunId)).Values("loss"));
            }
        }
        Assert.True(killed >= target, $"only {killed} kills hit a running sweep in {rounds} rounds");
        Console.WriteLine($"kill -9: {killed} kills of running sweeps over {rounds} rounds; every round resumed to the uninterrupted result");
    }

    [Fact]
    public void AKilledRunGoesOnFromItsCheckpointToTheUninterruptedResult()
    {
        string[] Train(string folder) => ["train", "--width", "32", "--depth", "2", "--heads", "2", "--seq-len", "32", "--batch-size", "8",
            "--steps", "400", "--lr", "0.01", "--threads", "1", "--checkpoint-every", "25", "--out", folder];
        var clean = Directory.CreateTempSubdirectory("proxies-run-clean-").FullName;
        var (code, stdout, stderr) = CliProcess.Run(Train(clean));
        Assert.True(code == 0, stdout + stderr);

        // kill -9 the run once its second checkpoint is on disk, then the same command again.
        var folder = Directory.CreateTempSubdirectory("proxies-run-killed-").FullName;
        var checkpoints = Path.Combine(folder, "checkpoints");
        using (var p = CliProcess.Start(Train(folder)))
        {
            var written = new HashSet<DateTime>();
            var clock = Stopwatch.StartNew();
            while (written.Count < 2 && !p.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                foreach (var f in Directory.Exists(checkpoints) ? Directory.GetFiles(checkpoints, "*.ckpt") : []) written.Add(File.GetLastWriteTimeUtc(f));
                Thread.Sleep(20);
            }
            Assert.False(p.HasExited, "the run finished before it could be killed; give it more steps");
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
        Assert.False(File.Exists(new ResultsStore(folder).RunsCsv));
        (code, stdout, stderr) = CliProcess.Run(Train(folder));
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("going on from the checkpoint", stdout);
        Assert.Empty(Directory.GetFiles(checkpoints));                                       // deleted once the run is recorded

        var (reference, resumed) = (new ResultsStore(clean), new ResultsStore(folder));
        var (a, b) = (Assert.Single(reference.Runs()), Assert.Single(resumed.Runs()));
        Assert.Equal(a.FinalEvalLoss, b.FinalEvalLoss);                                      // bitwise: one thread
        Assert.Equal(a.StepsDone, b.StepsDone);
        Assert.Equal(CurveFile.Read(reference.CurvePath(a.RunId)).Table(), CurveFile.Read(resumed.CurvePath(b.RunId)).Table());
    }

    [Fact]
    public async Task SigtermStopsCleanlyAndSaysHowToResume()
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
        Assert.Contains("Resume with the same command", await stderr);
        var manifest = Manifest.Read(new ResultsStore(folder, "attention-logit-growth").ManifestPath)!;
        Assert.Equal("interrupted", (string?)manifest["sweeps"]![0]!["outcome"]);
        var (code, _, _) = CliProcess.Run("sweep", "attention-logit-growth", "--profile", "smoke", "--out", folder);
        Assert.Equal(0, code);
        Assert.Equal(8, new ResultsStore(folder, "attention-logit-growth").Runs().Count);
    }
}
