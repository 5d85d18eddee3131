using Proxies.Benchmarks;
using Proxies.Training;
using static TorchSharp.torch;

namespace Proxies.Cli;

/// <summary>A rough CPU time estimate for runs: their cost (<see cref="TrainConfig.Cost"/>) against the fp32 GEMM rate
/// one worker gets on this machine.</summary>
public static class TimeEstimate
{
    /// <summary>Share of one worker's GEMM peak that its training reaches: notebook 01's quick sweep on 2 one-thread
    /// workers of a Zen 5 reached 0.33 / 0.41 / 0.54 of the one-thread peak at widths 32 / 64 / 128, 0.51 weighted by
    /// cost, so the estimate errs long (docs/performance.md#why-the-code-is-as-it-is).</summary>
    public const double EfficiencyOfPeak = 0.45;

    /// <summary>Seconds for <paramref name="runs"/> over <paramref name="workers"/> workers, each multiplying at
    /// <paramref name="workerGflops"/>, plus a second of start-up per run.</summary>
    public static double Seconds(IReadOnlyCollection<TrainConfig> runs, double workerGflops, int workers) =>
        (runs.Sum(c => c.Cost) / (workerGflops * 1e9 * EfficiencyOfPeak) + runs.Count * 1.0)
        / Math.Max(1, Math.Min(workers, runs.Count));

    /// <summary>The fp32 GEMM rate (<see cref="GemmPeak"/>, 1024² products) on the <paramref name="threadsPerWorker"/>
    /// threads each worker runs with; the process's own thread count is restored after.</summary>
    public static double MeasureWorkerGflops(int threadsPerWorker)
    {
        Runtime.TorchRuntime.Start();
        int before = get_num_threads();
        set_num_threads(threadsPerWorker);
        try { return GemmPeak.Measure(sizes: [1024]); }
        finally { set_num_threads(before); }
    }

    public static string Duration(double s) => s < 120 ? $"{s:F0}s" : s < 7200 ? $"{s / 60:F0}min" : s < 172800 ? $"{s / 3600:F0}h" : $"{s / 86400:F0} days";
}
