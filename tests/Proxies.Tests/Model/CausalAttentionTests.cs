using Proxies.Model;
using TorchSharp;
using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Tests.Model;

public class CausalAttentionTests : TorchTest
{
    /// <summary>softmax(q kᵀ·s + causal mask) v written out in float64: the reference both kernels are held to.</summary>
    static Tensor Composed(Tensor q, Tensor k, Tensor v, double scale)
    {
        long t = q.shape[^2];
        var mask = ones(t, t, dtype: ScalarType.Bool).triu(1);
        var logits = q.matmul(k.transpose(-2, -1)) * LiveScalar.Of(scale);
        return logits.masked_fill(mask, LiveScalar.Of(double.NegativeInfinity)).softmax(-1).matmul(v);
    }

    /// <summary>The fused C# kernel (Model/Fused/FusedCausalAttention.cs) against the composed form in float64, values and
    /// gradients of q, k and v, within a small multiple of libtorch's own float32 SDPA error. Shapes cover the kernel's
    /// 32-column blocks and 8-column tails (d_h 16, 32, 40; T 24, 64), both logit scales (1/√d_h; full μParam's 1/d_h)
    /// and logits large enough (q × 30: logits of standard deviation 30, the largest past 88, where float32's exp
    /// overflows) that a softmax without its max shift would fail.</summary>
    [SkippableTheory]
    [InlineData(24, 16, false, 1.0)]
    [InlineData(64, 32, false, 1.0)]
    [InlineData(64, 40, true, 1.0)]
    [InlineData(24, 32, false, 30.0)]
    public void FusedMatchesTheComposedFormInFloat64(int t, int d, bool muParamScale, double qGain)
    {
        manual_seed(11);
        double scale = muParamScale ? 1.0 / d : 1.0 / Math.Sqrt(d);
        var (q64, k64, v64) = (randn(2, 3, t, d, dtype: float64) * LiveScalar.Of(qGain), randn(2, 3, t, d, dtype: float64), randn(2, 3, t, d, dtype: float64));
        var weight = randn(2, 3, t, d, dtype: float64);
        Optional.Need(Proxies.Model.Fused.Kernels.HardwareProblem);
        (Tensor Y, Tensor Dq, Tensor Dk, Tensor Dv) Run(Func<Tensor, Tensor, Tensor, Tensor> attention, ScalarType dtype)
        {
            var (q, k, v) = (q64.to(dtype).requires_grad_(true), k64.to(dtype).requires_grad_(true), v64.to(dtype).requires_grad_(true));
            var y = attention(q, k, v);
            (y.to(float64) * weight).sum().backward();
            return (y.detach().to(float64), q.grad!.to(float64), k.grad!.to(float64), v.grad!.to(float64));
        }
        var fused = Run((q, k, v) => Proxies.Model.Fused.FusedCausalAttention.apply(q, k, v, scale), float32);
        var sdpa = Run((q, k, v) => CausalAttention.Sdpa(q, k, v, scale), float32);
        var reference = Run((q, k, v) => Composed(q, k, v, scale), float64);
        double Error(Tensor a, Tensor b) => (a - b).abs().max().item<double>();
        foreach (var (name, pick) in new (string, Func<(Tensor, Tensor, Tensor, Tensor), Tensor>)[]
                 { ("y", r => r.Item1), ("dq", r => r.Item2), ("dk", r => r.Item3), ("dv", r => r.Item4) })
        {
            double mine = Error(pick(fused), pick(reference)), libtorch = Error(pick(sdpa), pick(reference));
            Assert.True(mine <= Math.Max(4 * libtorch, 2e-6), $"{name}: largest error {mine:G3} against float64; libtorch's SDPA in float32 {libtorch:G3}");
            Assert.True(pick(reference).abs().max().item<double>() > 0.1, $"{name}: the check has something to compare");
        }
    }

    [Fact]
    public void ShapesTheKernelCannotTakeRunLibtorchsSdpa()
    {
        // T = 12 is not a multiple of the kernel's 8-float vectors: the model falls back to SDPA, same values.
        manual_seed(2);
        var (q, k, v) = (randn(1, 2, 12, 16), randn(1, 2, 12, 16), randn(1, 2, 12, 16));
        Assert.False(Proxies.Model.Fused.FusedCausalAttention.Take(q));
        var fused = CausalAttention.Apply(q, k, v, 0.25);
        var sdpa = CausalAttention.Sdpa(q, k, v, 0.25);
        Assert.True(fused.equal(sdpa).all().item<bool>());
    }
}
