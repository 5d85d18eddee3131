using System.Diagnostics;
using Proxies.Runtime;
using static TorchSharp.torch;

namespace Proxies.Benchmarks;

/// <summary>The machine's matrix-multiply ceiling with the current thread count: the best of a few square products
/// (GFLOP/s = 2n³ / t), fp32 by default. MFU is measured against the one of the matmul dtype, in the same run.</summary>
public static class GemmPeak
{
    public static double Measure(Device? device = null, int[]? sizes = null, int repeats = 4, ScalarType dtype = ScalarType.Float32)
    {
        TorchRuntime.Start();
        device ??= CPU;
        double best = 0;
        foreach (int n in sizes ?? new[] { 1024, 2048 })
        {
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
        using var c = a.matmul(b);
        using var s = c[0, 0].to(ScalarType.Float32).cpu();
        s.item<float>();
    }
}
