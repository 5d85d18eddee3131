using Proxies.Model;
using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Tests.Model;

public class QkvHeadsTests : TorchTest
{
    /// <summary>The fused kernel (Model/Fused/FusedQkvHeads.cs) against the composed form in float64: q, k, v, and the
    /// gradients of the projection output and of both qk-layernorm gains, within a small multiple of the composed form's
    /// own float32 error. Head dims 32 (whole 8-float vectors, the workbook's) and 12 (a vector and a tail of 4, and RoPE
    /// halves of 6, all tail); gains drawn away from 1 so that their gradients and the gain's product are checked; rows
    /// offset from zero mean (+3) so that the variance is not the mean square.</summary>
    [SkippableTheory]
    [InlineData(32)]
    [InlineData(12)]
    public void FusedMatchesTheComposedFormInFloat64(int headDim)
    {
        const int b = 2, t = 16, heads = 3;
        using var rope = new Rope(t, headDim, 10_000, CPU);
        manual_seed(5);
        var qkv64 = (randn(b, t, 3 * heads * headDim, dtype: float64) * LiveScalar.Of(2)).Plus(3);
        var (qGain64, kGain64) = (rand(headDim, dtype: float64).Plus(0.5), rand(headDim, dtype: float64).Plus(0.5));
        var weights = Enumerable.Range(0, 3).Select(_ => randn(b, heads, t, headDim, dtype: float64)).ToArray();
        Optional.Need(Proxies.Model.Fused.Kernels.HardwareProblem);
        Tensor[] Run(bool fusedForm, ScalarType dtype)
        {
            var (qkv, qGain, kGain) = (qkv64.to(dtype).requires_grad_(true), qGain64.to(dtype).requires_grad_(true), kGain64.to(dtype).requires_grad_(true));
            var (q, k, v) = fusedForm ? QkvHeads.FusedForm(qkv, heads, qGain, kGain, 1e-5, rope) : QkvHeads.Composed(qkv, heads, qGain, kGain, 1e-5, rope);
            new[] { q, k, v }.Select((y, i) => (y.to(float64) * weights[i]).sum()).Aggregate((x, y) => x.Plus(y)).backward();
            return [q.detach().to(float64), k.detach().to(float64), v.detach().to(float64), qkv.grad!.to(float64), qGain.grad!.to(float64), kGain.grad!.to(float64)];
        }
        var fused = Run(true, float32);
        var composed = Run(false, float32);
        var reference = Run(false, float64);
        string[] names = ["q", "k", "v", "dqkv", "dq_gain", "dk_gain"];
        for (int i = 0; i < names.Length; i++)
        {
            double mine = (fused[i] - reference[i]).abs().max().item<double>(), libtorch = (composed[i] - reference[i]).abs().max().item<double>();
            double size = reference[i].abs().max().item<double>();
            Assert.True(mine <= Math.Max(4 * libtorch, 4e-7 * size), $"{names[i]}: largest error {mine:G3} against float64; the composed form in float32 {libtorch:G3}");
            Assert.True(size > 0.1, $"{names[i]}: the check has something to compare");
        }
        Assert.Equal(composed[2].data<double>().ToArray(), fused[2].data<double>().ToArray());   // v is a copy
    }

    /// <summary>Without qk-layernorm the kernel only splits, rotates and copies, with <see cref="Proxies.Model.Fused.FusedRope"/>'s
    /// arithmetic: bit for bit the composed form, values and gradient, split over 2 threads.</summary>
    [SkippableFact]
    public void WithoutQkLayerNormItIsTheComposedFormBitForBit()
    {
        const int heads = 2, headDim = 32;
        using var rope = new Rope(24, headDim, 10_000, CPU);
        manual_seed(6);
        var qkv0 = randn(4, 24, 3 * heads * headDim);
        var weights = Enumerable.Range(0, 3).Select(_ => randn(4, heads, 24, headDim)).ToArray();
        Optional.Need(Proxies.Model.Fused.Kernels.HardwareProblem);
        float[][] Run(bool fusedForm)
        {
            var qkv = qkv0.detach().requires_grad_(true);
            var (q, k, v) = fusedForm ? QkvHeads.FusedForm(qkv, heads, null, null, 1e-5, rope) : QkvHeads.Composed(qkv, heads, null, null, 1e-5, rope);
            new[] { q, k, v }.Select((y, i) => (y * weights[i]).sum()).Aggregate((x, y) => x.Plus(y)).backward();
            return new[] { q, k, v, qkv.grad! }.Select(x => x.contiguous().data<float>().ToArray()).ToArray();
        }
        int threads = get_num_threads();
        set_num_threads(2);
        try
        {
            var (fused, composed) = (Run(true), Run(false));
            for (int i = 0; i < 4; i++) Assert.Equal(composed[i], fused[i]);
        }
        finally { set_num_threads(threads); }
    }

    [Fact]
    public void MismatchedTablesAreRefusedBeforeAnyRawRead()
    {
        using var rope = new Rope(8, 16, 10_000, CPU);
        var (cos, sin) = (ones(8, 8), ones(8, 8));   // tables for d_h 16, given a projection of d_h 32
        var error = Assert.Throws<ArgumentException>(() => Proxies.Model.Fused.FusedQkvHeads.apply(zeros(1, 8, 96), 1, null!, null!, 1e-5, cos, sin));
        Assert.Contains("RoPE tables", error.Message);
    }
}
