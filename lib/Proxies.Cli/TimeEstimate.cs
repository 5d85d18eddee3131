using System.Diagnostics;
using Proxies.Model;
using Proxies.Runtime;
using Proxies.Training;
using static TorchSharp.torch;

namespace Proxies.Cli;

/// <summary>A rough CPU time estimate for runs: their FLOPs against this machine's measured fp32 GEMM rate.</summary>
public static class TimeEstimate
{
    /// <summary>Share of the GEMM peak a training step reaches on a CPU, on the low side of what was measured for the quick
    /// sizes (docs/performance.md#why-the-code-is-as-it-is).</summary>
    public const double EfficiencyOfPeak = 0.4;

    /// <summary>Seconds for <paramref name="runs"/> over <paramref name="workers"/> workers at <paramref name="gflops"/>, plus
    /// a second of start-up per run.</summary>
    public static double Seconds(IReadOnlyCollection<TrainConfig> runs, double gflops, int workers) =>
        (runs.Sum(c => c.Steps * Flops.PerStep(c.Model, c.BatchSize)) / (gflops * 1e9 * EfficiencyOfPeak) + runs.Count * 1.0)
        / Math.Max(1, Math.Min(workers, runs.Count));

    /// <summary>fp32 matrix-multiply throughput of this process's threads, from a few 512³ products.</summary>
    public static double MeasureGemmGflops(int size = 512, int repeats = 10)
    {
        TorchRuntime.Start();
        using var scope = NewDisposeScope();
        var a = randn(size, size); var b = randn(size, size);
        a.matmul(b);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < repeats; i++) a.matmul(b);
        return 2.0 * size * size * size * repeats / clock.Elapsed.TotalSeconds / 1e9;
    }

    public static string Duration(double s) => s < 120 ? $"{s:F0}s" : s < 7200 ? $"{s / 60:F0}min" : s < 172800 ? $"{s / 3600:F0}h" : $"{s / 86400:F0} days";
}
