using System.Diagnostics;
using Proxies.Runtime;
using static TorchSharp.torch;

namespace Proxies.Benchmarks;

/// <summary>The machine's matrix-multiply ceiling with the current thread count: the best of a few square products
/// (GFLOP/s = 2n³ / t), fp32 by default. MFU is measured against the fp32 one, in the same run.</summary>
public static class GemmPeak
{
    public static double Measure(Device? device = null, int[]? sizes = null, int repeats = 5, ScalarType dtype = ScalarType.Float32)
    {
        TorchRuntime.Start();
        device ??= CPU;
        double best = 0;
        foreach (int n in sizes ?? new[] { 512, 1024, 2048 })
        {
            using var scope = NewDisposeScope();
            var a = randn(n, n, device: device).to(dtype); var b = randn(n, n, device: device).to(dtype);
            a.matmul(b).sum().item<float>();                     // warm-up (and a sync on GPUs)
            var clock = Stopwatch.StartNew();
            var c = a.matmul(b);
            for (int i = 1; i < repeats; i++) c = a.matmul(b);
            c.sum().item<float>();
            best = Math.Max(best, 2.0 * n * n * n * repeats / clock.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }
}
