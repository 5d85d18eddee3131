using Proxies.Model;
using static TorchSharp.torch;

namespace Proxies.Tests.Model;

public class RopeTests : TorchTest
{
    [Fact]
    public void RotationMatchesFloat64ReferenceAtChosenPosition()
    {
        // d_h = 4, base 10000: θ = (1, 0.01). Position 3 rotates pair (x0, x2) by 3 rad and (x1, x3) by 0.03 rad.
        using var rope = new Rope(8, 4, 10_000, CPU);
        var x = zeros(1, 1, 8, 4);
        x[0, 0, 3] = tensor(new float[] { 1, 2, 3, 4 });
        var y = rope.Apply(x)[0, 0, 3].data<float>().ToArray();
        double c0 = Math.Cos(3), s0 = Math.Sin(3), c1 = Math.Cos(0.03), s1 = Math.Sin(0.03);
        Assert.Equal(1 * c0 - 3 * s0, y[0], 5);
        Assert.Equal(2 * c1 - 4 * s1, y[1], 5);
        Assert.Equal(3 * c0 + 1 * s0, y[2], 5);
        Assert.Equal(4 * c1 + 2 * s1, y[3], 5);
    }

    [Fact]
    public void DotProductDependsOnlyOnRelativePosition()
    {
        // ⟨R(m)q, R(n)k⟩ is the same for (m, n) = (2, 0), (5, 3), (9, 7): the same q and k placed at every position.
        using var rope = new Rope(16, 8, 10_000, CPU);
        manual_seed(1);
        var q = randn(8).expand(1, 1, 16, 8).contiguous();
        var k = randn(8).expand(1, 1, 16, 8).contiguous();
        var rq = rope.Apply(q)[0, 0]; var rk = rope.Apply(k)[0, 0];
        double Dot(int m, int n) => (rq[m] * rk[n]).sum().item<float>();
        Assert.Equal(Dot(2, 0), Dot(5, 3), 4);
        Assert.Equal(Dot(2, 0), Dot(9, 7), 4);
        Assert.NotEqual(Dot(2, 0), Dot(3, 0), 2);
        // and it preserves norms
        Assert.Equal(q[0, 0, 5].norm().item<float>(), rq[5].norm().item<float>(), 4);
    }

    /// <summary>The fused kernel (Model/Fused/FusedRope.cs) against the composed form: bit for bit in float32, and within
    /// float32 rounding of the composed form in float64; values and gradients; the vector path (d_h 32), the scalar tail
    /// (d_h 6) and a non-contiguous input (q as the model slices it out of the fused q/k/v projection).</summary>
    [SkippableTheory]
    [InlineData(32)]
    [InlineData(6)]
    public void FusedRotationMatchesTheComposedOneValuesAndGradients(int headDim)
    {
        using var rope = new Rope(16, headDim, 10_000, CPU);
        manual_seed(3);
        var qkv = randn(new long[] { 2, 16, 3, 3, headDim }).permute(2, 0, 3, 1, 4);   // (3, B, H, T, d_h), as in Attention
        var weight = randn(new long[] { 2, 3, 16, headDim }, dtype: float64);
        (Tensor Y, Tensor Grad) Run(Func<Tensor, Tensor> rotate, ScalarType dtype)
        {
            var x = qkv[0].to(dtype).detach().requires_grad_(true);
            var y = rotate(x);
            (y.to(float64) * weight).sum().backward();
            return (y.detach(), x.grad!);
        }
        Optional.Need(Proxies.Model.Fused.Kernels.Take(qkv[0]) ? null : "the fused kernels need 256-bit vectors (AVX2), which this CPU lacks");
        var fused = Run(rope.Apply, float32);
        var composed = Run(rope.Composed, float32);
        var reference = Run(rope.Composed, float64);
        Assert.Equal(composed.Y.data<float>().ToArray(), fused.Y.data<float>().ToArray());
        Assert.Equal(composed.Grad.data<float>().ToArray(), fused.Grad.data<float>().ToArray());
        Assert.True(fused.Y.to(float64).allclose(reference.Y, rtol: 1e-6, atol: 1e-6));
        Assert.True(fused.Grad.to(float64).allclose(reference.Grad, rtol: 1e-6, atol: 1e-6));
        Assert.True(reference.Grad.abs().max().item<double>() > 0.1);   // the check has something to compare
    }
}
