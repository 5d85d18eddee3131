using System.Diagnostics;
using Proxies.Model.Gemm;
using Proxies.Runtime;
using static TorchSharp.torch;

namespace Proxies.Benchmarks;

/// <summary>The machine's matrix-multiply ceiling with the current thread count: the best of a few square products
/// (GFLOP/s = 2n³ / t), fp32 by default, in the GEMM backend the model would use (<see cref="GemmBackends"/>). MFU is measured against the one of the matmul dtype, in the same run.
/// A 256² product is timed first, and a larger size is skipped when the rate so far says it would take more than
/// <see cref="BudgetSeconds"/>: a CPU without bf16 instructions multiplies bf16 through a scalar fallback (measured
/// below 1 GFLOP/s on an AVX2-only EPYC, where the 2048² products alone would take many minutes).</summary>
public static class GemmPeak
{
    const double BudgetSeconds = 10;
    // Timings on these virtual machines drift by ±25% within seconds (docs/performance.md): the best of several is the ceiling.
    const int Trials = 5;

    public static double Measure(Device? device = null, int[]? sizes = null, int repeats = 4, ScalarType dtype = ScalarType.Float32)
    {
        TorchRuntime.Start();
        device ??= CPU;
        double best = 0;
        foreach (int n in sizes ?? new[] { 256, 1024, 2048 })
        {
            if (best > 0 && 2.0 * n * n * n * (1 + Trials * repeats) / (best * 1e9) > BudgetSeconds) break;
            using var scope = NewDisposeScope();
            var a = randn(n, n, device: device).to(dtype);
            var b = randn(n, n, device: device).to(dtype);
            var c = empty(n, n, dtype, device);
            Product(a, b, c);                                         // warm-up: threads, caches
            Finish(c);
            for (int trial = 0; trial < Trials; trial++)
            {
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < repeats; i++) Product(a, b, c);
                Finish(c);
                best = Math.Max(best, 2.0 * n * n * n * repeats / clock.Elapsed.TotalSeconds / 1e9);
            }
        }
        return best;
    }

    /// <summary>One product into <paramref name="c"/>, with no allocation: the GEMM alone. A fresh output per product
    /// times the allocator's page faults as well, and how many depends on what the heap held before: 2048² products
    /// measured 150–230 GFLOP/s that way on 2 threads of a Zen 5 where the same OpenBLAS reaches 330 (docs/performance.md,
    /// sitting 13). The training step reuses its freed memory, so it does not pay them.</summary>
    static void Product(Tensor a, Tensor b, Tensor c)
    {
        if (GemmBackends.Take(a, b)) BlasLinear.Output(a, b, c);   // a·bᵀ: the same FLOPs
        else c.addmm_(a, b, beta: 0);                               // β = 0: c's old values are not read
    }

    /// <summary>Reads one value of <paramref name="c"/> back, so that an asynchronous device has finished every product
    /// before the clock stops; the read's views are freed at once.</summary>
    internal static void Finish(Tensor c)
    {
        using var scope = NewDisposeScope();
        c[0, 0].to(ScalarType.Float32).cpu().item<float>();
    }
}
