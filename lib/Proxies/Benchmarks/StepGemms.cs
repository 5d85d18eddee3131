using System.Diagnostics;
using Proxies.Model;
using Proxies.Model.Gemm;
using Proxies.Runtime;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Proxies.Benchmarks;

/// <summary>
/// A step's own weight products, timed alone: for every linear layer (per block q/k/v, output, MLP in and out; then
/// the head) the forward product x·Wᵀ and the two backward ones, input gradient g·W and weight gradient gᵀ·x, at the
/// model's shapes (B·T rows) and in its matmul dtype. Their sum is what a step would cost if everything but these
/// GEMMs were free: the ceiling for this model on this machine, tighter than the square-matrix peak because small
/// inner dimensions (K = d) run slower. They run in the backend the model would use (<see cref="GemmBackends"/>). The attention products are left out: the fused kernel does not separate them.
/// </summary>
public static class StepGemms
{
    /// <summary>(rows out, columns in) of every weight matrix a step multiplies by, head included.</summary>
    public static IEnumerable<(long Out, long In)> Shapes(ModelConfig c)
    {
        long d = c.Width, hidden = (long)c.MlpRatio * c.Width;
        for (int layer = 0; layer < c.Depth; layer++)
        {
            yield return (3 * d, d);
            yield return (d, d);
            yield return (hidden, d);
            yield return (d, hidden);
        }
        yield return (c.Vocab, d);
    }

    /// <summary>FLOPs of those products: 3 × 2·M·out·in per matrix, the weight part of <see cref="Flops.PerStep"/>.</summary>
    public static double FlopsPerStep(ModelConfig c, int batchSize) =>
        Shapes(c).Sum(s => 6.0 * batchSize * c.SeqLen * s.Out * s.In);

    /// <summary>Milliseconds for one step's worth of the products: the best of <paramref name="trials"/> timings.</summary>
    public static double Ms(ModelConfig c, int batchSize, Device device, int trials = 3)
    {
        TorchRuntime.Start();
        var dtype = c.Matmul == MatmulPrecision.Bf16 ? ScalarType.BFloat16 : ScalarType.Float32;
        long rows = (long)batchSize * c.SeqLen;
        using var scope = NewDisposeScope();
        // One set of operands per distinct shape: the products' speed depends on the shape, not on the values.
        var operands = Shapes(c).Distinct().ToDictionary(s => s, s => (
            X: randn(rows, s.In, device: device).to(dtype), W: randn(s.Out, s.In, device: device).to(dtype),
            G: randn(rows, s.Out, device: device).to(dtype)));
        var all = Shapes(c).ToList();
        void OneStep()
        {
            Tensor? last = null;
            foreach (var shape in all)
            {
                var (x, w, g) = operands[shape];
                bool blas = GemmBackends.Take(x, w);
                using var y = blas ? BlasLinear.Output(x, w) : F.linear(x, w);
                using var dx = blas ? BlasLinear.InputGradient(g, w) : g.matmul(w);
                last?.Dispose();
                last = blas ? BlasLinear.WeightGradient(g, x) : g.t().matmul(x);
            }
            GemmPeak.Finish(last!);
            last!.Dispose();
        }
        OneStep();                                                                      // warm-up
        double best = double.PositiveInfinity;
        for (int trial = 0; trial < trials; trial++)
        {
            var clock = Stopwatch.StartNew();
            OneStep();
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
        }
        return best;
    }
}
