using System.Diagnostics;
using Proxies.Experiments;
using Proxies.Model;
using Proxies.Runtime;
using static TorchSharp.torch;

namespace Proxies.Cli;

/// <summary>`experiments`: every named experiment with its run count and a rough time estimate per profile.</summary>
public static class ExperimentsVerb
{
    public static int Run(string[] args)
    {
        var cl = new CommandLine(args, new HashSet<string>());
        int workers = cl.Int("--workers", Environment.ProcessorCount);
        if (workers < 1) throw new UsageException($"--workers {workers}: must be at least 1");
        cl.RejectUnknown("experiments");
        double gflops = MeasureGemmGflops();
        Console.WriteLine($"this machine: {Environment.ProcessorCount} cores, fp32 GEMM ≈ {gflops:F0} GFLOP/s; estimates assume {EfficiencyOfPeak:P0} of it over {workers} worker(s)");
        Console.WriteLine($"{"experiment",-26} {"smoke",-16} {"quick",-16} {"paper",-18} description");
        foreach (var e in Catalog.All)
        {
            var cells = Enum.GetValues<Profile>().Select(p =>
            {
                var runs = e.Runs(p);
                double seconds = runs.Sum(c => c.Steps * Flops.PerStep(c.Model, c.BatchSize)) / (gflops * 1e9 * EfficiencyOfPeak) + runs.Count * 1.0;
                return $"{runs.Count} runs ~{Duration(seconds / Math.Min(workers, runs.Count))}";
            }).ToArray();
            Console.WriteLine($"{e.Name,-26} {cells[0],-16} {cells[1],-16} {cells[2],-18} {e.Description}");
        }
        return 0;
    }

    /// <summary>Share of the GEMM peak a training step reaches here (measured: 40–57% for the quick sizes).</summary>
    const double EfficiencyOfPeak = 0.4;

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

    static string Duration(double s) => s < 120 ? $"{s:F0}s" : s < 7200 ? $"{s / 60:F0}min" : $"{s / 3600:F0}h";
}
