using System.Text.RegularExpressions;
using Proxies.Results;
using Proxies.Training;

namespace Proxies.Tests.Reliability;

/// <summary>Starts the private cluster once for the Slurm tests, only where one can run.</summary>
public sealed class SlurmFixture : IDisposable
{
    readonly Lazy<SlurmCluster> cluster = new(() => new SlurmCluster());

    public SlurmCluster Cluster => cluster.Value;

    public void Dispose()
    {
        if (cluster.IsValueCreated) cluster.Value.Dispose();
    }
}

/// <summary>
/// `sweep --slurm` against a real Slurm (slurmctld + slurmd on localhost): a job array gives the one-machine result,
/// bit for bit, and a requeued task and a cancelled one, submitted again, lose and duplicate nothing.
/// </summary>
public partial class SlurmTests(SlurmFixture fixture) : IClassFixture<SlurmFixture>
{
    const string Experiment = "lr-sensitivity";

    static readonly Lazy<Dictionary<string, RunResult>> OneMachine = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("proxies-one-machine-").FullName;
        var (code, stdout, stderr) = CliProcess.Run(["sweep", Experiment, "--profile", "smoke", "--workers", "2", "--threads", "1", "--out", folder]);
        Assert.True(code == 0, stdout + stderr);
        return new ResultsStore(folder, Experiment).Runs().ToDictionary(r => r.RunId);
    });

    (string ArrayId, string MergeId) Submit(string outRoot, int tasks)
    {
        var (code, stdout, stderr) = CliProcess.Run(TimeSpan.FromMinutes(1), fixture.Cluster.Environment,
            "sweep", Experiment, "--profile", "smoke", "--out", outRoot, "--tasks", tasks.ToString(), "--slurm", "--cpus-per-task=1");
        Assert.True(code == 0, stdout + stderr);
        var m = Submitted().Match(stdout);
        Assert.True(m.Success, stdout);
        return (m.Groups[1].Value, m.Groups[2].Value);
    }

    void AssertSameAsOneMachine(string outRoot)
    {
        var store = new ResultsStore(outRoot, Experiment);
        var runs = store.Runs();
        Assert.Equal(OneMachine.Value.Count, runs.Count);
        Assert.Equal(runs.Count, runs.Select(r => r.RunId).Distinct().Count());           // each run once
        foreach (var r in runs)
        {
            Assert.Equal(OneMachine.Value[r.RunId].FinalEvalLoss, r.FinalEvalLoss);          // bitwise: one thread per task
            Assert.Equal(OneMachine.Value[r.RunId].MaxAttnLogit, r.MaxAttnLogit);
            CurveFile.Read(store.CurvePath(r.RunId));
        }
    }

    [SkippableFact]
    public void AJobArrayGivesTheOneMachineResult()
    {
        Optional.Need(SlurmCluster.Missing());
        var outRoot = Directory.CreateTempSubdirectory("proxies-slurm-array-").FullName;
        var (arrayId, mergeId) = Submit(outRoot, tasks: 3);
        fixture.Cluster.WaitForJobs(TimeSpan.FromMinutes(5), arrayId, mergeId);
        AssertSameAsOneMachine(outRoot);
        Assert.Equal(3, Directory.GetDirectories(Path.Combine(outRoot, "slurm", Experiment), "task-*").Length);
    }

    [SkippableFact]
    public void ARequeuedTaskAndACancelledOneResubmittedLoseAndDuplicateNothing()
    {
        Optional.Need(SlurmCluster.Missing());
        var outRoot = Directory.CreateTempSubdirectory("proxies-slurm-requeue-").FullName;
        var (arrayId, mergeId) = Submit(outRoot, tasks: 2);
        string Task(int i) => Path.Combine(outRoot, "slurm", Experiment, $"task-{i}");
        int Finished(int i) => File.Exists(new ResultsStore(Task(i), Experiment).RunsCsv) ? new ResultsStore(Task(i), Experiment).Runs().Count : 0;

        // Task 0 is requeued (Slurm kills it and queues it again) and task 1 cancelled, each after its first finished run.
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (Finished(0) == 0 || Finished(1) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "no task finished a run in 3 minutes");
            Thread.Sleep(200);
        }
        var requeue = fixture.Cluster.Run("scontrol", "requeue", $"{arrayId}_0");
        Assert.True(requeue.Code == 0, requeue.Stderr);
        // Slurm holds a requeued batch job back for about two minutes (a begin time set once the killed task has ended)
        // before it may start again; a cluster would wait, the test need not.
        for (var until = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < until; Thread.Sleep(200))
            if (fixture.Cluster.Run("squeue", "-h", "-j", $"{arrayId}_0", "-o", "%T").Stdout.Trim() == "PENDING")
            {
                fixture.Cluster.Run("scontrol", "update", $"JobId={arrayId}_0", "StartTime=now");
                break;
            }
        var cancel = fixture.Cluster.Run("scancel", $"{arrayId}_1");
        Assert.True(cancel.Code == 0, cancel.Stderr);
        fixture.Cluster.WaitForJobs(TimeSpan.FromMinutes(5), arrayId, mergeId);

        // The requeued task ran again and finished its shard; the cancelled one is finished by submitting again.
        var log0 = File.ReadAllText(Path.Combine(outRoot, "slurm", Experiment, "task-0.log"));
        Assert.True(Regex.Matches(log0, $"sweep {Experiment} \\(smoke, shard 0/2\\)").Count >= 2, log0);
        Assert.Equal(4, Finished(0));
        int keptByCancelled = Finished(1);
        (arrayId, mergeId) = Submit(outRoot, tasks: 2);
        fixture.Cluster.WaitForJobs(TimeSpan.FromMinutes(5), arrayId, mergeId);
        AssertSameAsOneMachine(outRoot);
        // The resubmitted task 1 started from what the cancelled one had finished.
        var resumed = Regex.Matches(File.ReadAllText(Path.Combine(outRoot, "slurm", Experiment, "task-1.log")), @"(\d+) of 4 runs already done");
        Assert.Equal(keptByCancelled, int.Parse(resumed[^1].Groups[1].Value));
        Assert.True(keptByCancelled >= 1);
    }

    [GeneratedRegex(@"job array (\d+) .*merge job (\d+)")]
    private static partial Regex Submitted();
}
