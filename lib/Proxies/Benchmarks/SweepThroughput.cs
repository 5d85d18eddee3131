using System.Diagnostics;
using Proxies.Experiments;
using Proxies.Sweeps;
using Proxies.Training;

namespace Proxies.Benchmarks;

/// <summary>Runs per hour of a small sweep (8 runs of width 64, 2 layers, 100 steps) in one process with every
/// thread, against worker processes of one thread each: which way small models use the cores better.</summary>
public static class SweepThroughput
{
    public static readonly Experiment Grid = new("bench-sweep", "8 small runs for sweep throughput",
        _ => Enumerable.Range(0, 8).Select(i => StepBenchmark.ConfigFor(64, 2, 64, 32, 100) with
            { Lr = 1e-3 * (i + 1), ProbeEvery = 10, EvalBatches = 2, Variant = "bench" }).ToList());

    public static double RunsPerHour(IRunExecutor executor, int workers)
    {
        var folder = Directory.CreateTempSubdirectory("proxies-bench-sweep-").FullName;
        try
        {
            var clock = Stopwatch.StartNew();
            var summary = Sweep.Run(Grid, Profile.Smoke, folder, executor, workers: workers);
            if (summary.Failures.Count > 0) throw new InvalidOperationException(string.Join("\n", summary.Failures));
            return summary.Done / clock.Elapsed.TotalHours;
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
