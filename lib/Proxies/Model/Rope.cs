using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Model;

/// <summary>
/// Rotary position embedding (Su et al. 2021), "rotate-half" form: channel pairs (i, i + d_h/2) are rotated
/// by angle t·θ_i with θ_i = base^(−2i/d_h), so ⟨R(m)q, R(n)k⟩ depends only on m − n.
/// </summary>
public sealed class Rope : IDisposable
{
    readonly Tensor cosHalf, sinHalf;   // (T, d_h/2): cos tθ_i and sin tθ_i, for the fused kernel
    readonly Tensor cos;                // (T, d_h): cos tθ_i in both halves
    readonly Tensor signedSin;          // (T, d_h): −sin tθ_i in the first half, +sin tθ_i in the second

    public Rope(int seqLen, int headDim, double ropeBase, Device device)
    {
        if (headDim % 2 != 0) throw new ArgumentException($"RoPE needs an even head dimension, got {headDim}");
        using var scope = NewDisposeScope();
        var even = arange(LiveScalar.Of(0), LiveScalar.Of(headDim), LiveScalar.Of(2), dtype: float64);    // 0, 2, …, d_h − 2
        var inv = pow(ropeBase, -even / LiveScalar.Of(headDim));                                             // (d_h/2)
        var positions = arange(LiveScalar.Of(0), LiveScalar.Of(seqLen), LiveScalar.Of(1), dtype: float64);
        var angles = outer(positions, inv);                                                                   // (T, d_h/2)
        cosHalf = angles.cos().to(float32).to(device).MoveToOuterDisposeScope();
        sinHalf = angles.sin().to(float32).to(device).MoveToOuterDisposeScope();
        // The composed form's tables from the same values (negating a rounded sine is exact).
        cos = cat(new[] { cosHalf, cosHalf }, -1).MoveToOuterDisposeScope();
        signedSin = cat(new[] { -sinHalf, sinHalf }, -1).MoveToOuterDisposeScope();
    }

    /// <summary>x: (..., T, d_h), positions 0..T−1.</summary>
    public Tensor Apply(Tensor x)
    {
        int t = (int)x.shape[^2];
        var (c, s) = HalfTables(t);   // checks that this RoPE covers t positions
        return Fused.Kernels.Take(x) ? Fused.FusedRope.apply(x, c, s) : Composed(x);
    }

    /// <summary>cos tθ_i and sin tθ_i for positions 0..<paramref name="t"/>−1, (T, d_h/2) each: the fused kernels' tables.</summary>
    internal (Tensor Cos, Tensor Sin) HalfTables(int t)
    {
        if (t > cosHalf.shape[0]) throw new ArgumentException($"a sequence of {t} positions is longer than the {cosHalf.shape[0]} this RoPE was made for");
        return (cosHalf[..t], sinHalf[..t]);
    }

    /// <summary>The same rotation from libtorch ops: the reference the fused kernel is tested against.</summary>
    public Tensor Composed(Tensor x)
    {
        int t = (int)x.shape[^2], half = (int)x.shape[^1] / 2;
        // (x₁, x₂) ↦ (x₁ cos − x₂ sin, x₂ cos + x₁ sin), with the sign carried by the table instead of a negation
        // of x₂: bit for bit the same values (a sign flip is exact), one kernel fewer each way.
        var swapped = cat(new[] { x.narrow(-1, half, half), x.narrow(-1, 0, half) }, -1);
        return (x * cos[..t]).Plus(swapped * signedSin[..t]);
    }

    public void Dispose() { cos.Dispose(); signedSin.Dispose(); cosHalf.Dispose(); sinHalf.Dispose(); }
}
