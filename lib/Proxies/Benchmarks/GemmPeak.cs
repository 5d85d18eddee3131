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

    public static double Measure(Device? device = null, int[]? sizes = null, int repeats = 4, ScalarType dtype = ScalarType.Float32)
    {
        TorchRuntime.Start();
        device ??= CPU;
        double best = 0;
        foreach (int n in sizes ?? new[] { 256, 1024, 2048 })
        {
            if (best > 0 && 2.0 * n * n * n * (1 + 3 * repeats) / (best * 1e9) > BudgetSeconds) break;
            using var a = randn(n, n, device: device).to(dtype);
            using var b = randn(n, n, device: device).to(dtype);
            Product(a, b);                                            // warm-up: threads, caches, allocator
            for (int trial = 0; trial < 3; trial++)
            {
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < repeats; i++) Product(a, b);
                best = Math.Max(best, 2.0 * n * n * n * repeats / clock.Elapsed.TotalSeconds / 1e9);
            }
        }
        return best;
    }

    /// <summary>One product, freed at once (keeping them alive would time the allocator, not the GEMM), and read
    /// back as a scalar so that an asynchronous device has finished it.</summary>
    static void Product(Tensor a, Tensor b)
    {
        using var c = GemmBackends.Take(a, b) ? BlasLinear.Output(a, b) : a.matmul(b);   // a·bᵀ under OpenBLAS: the same FLOPs
        using var s = c[0, 0].to(ScalarType.Float32).cpu();
        s.item<float>();
    }
}
