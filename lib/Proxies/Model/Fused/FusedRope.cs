using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Proxies.Model.Fused;

/// <summary>
/// RoPE in one pass over q or k, forward and backward, behind autograd. Why: composed from libtorch ops
/// (<see cref="Rope.Apply"/>: two narrows, a cat, two products and a sum) it is five kernels forward and as many backward,
/// each a full pass over the (B, H, T, d_h) tensor, and TorchSharp has no compiler to fuse them. Same arithmetic in the
/// same order (each output two products and one sum or difference, no fused multiply-add), so it gives the composed
/// values bit for bit; the backward pass is the rotation by −θ: dx₁ = g₁cos + g₂sin, dx₂ = g₂cos − g₁sin.
/// Used where <see cref="Kernels.Take"/> says; <see cref="Rope.Apply"/> runs the composed form elsewhere.
/// </summary>
public sealed class FusedRope : autograd.SingleTensorFunction<FusedRope>
{
    public override string Name => "FusedRope";

    /// <summary>vars: x (..., T, d_h), cos (T, d_h/2), sin (T, d_h/2), both contiguous float32 on the CPU.</summary>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (x, cos, sin) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2]);
        ctx.save_for_backward([cos, sin]);
        return Rotate(x, cos, sin, inverse: false);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad)
    {
        var saved = ctx.get_saved_variables();
        return [Rotate(grad, saved[0], saved[1], inverse: true), null!, null!];
    }

    static unsafe Tensor Rotate(Tensor input, Tensor cos, Tensor sin, bool inverse)
    {
        using var x = input.contiguous();
        int dh = (int)x.shape[^1], half = dh / 2, t = (int)x.shape[^2];
        CheckTables(cos, sin, t, dh);
        var y = empty_like(x);
        long rows = x.numel() / dh;
        nint px = Kernels.Address(x), py = Kernels.Address(y), pc = Kernels.Address(cos), ps = Kernels.Address(sin);
        // Rows (one (b, h, t) each) split over the threads; each row reads its position's cos and sin.
        Kernels.ForRanges(rows, 256, 1, (start, end) =>
        {
            for (long row = start; row < end; row++)
            {
                float* a = (float*)px + row * dh, b = a + half, ya = (float*)py + row * dh, yb = ya + half;
                long at = row % t * half;
                RotateRow(a, b, ya, yb, (float*)pc + at, (float*)ps + at, half, inverse);
            }
        });
        return y;
    }

    /// <summary>The kernels read the tables by position, so they must be contiguous float32 covering exactly this T and
    /// d_h/2 (raw reads do not check): refused otherwise, before any read.</summary>
    internal static void CheckTables(Tensor cos, Tensor sin, long t, int dh)
    {
        foreach (var table in new[] { cos, sin })
            if (!table.shape.SequenceEqual(new[] { t, dh / 2L }) || !table.is_contiguous() || table.dtype != ScalarType.Float32)
                throw new ArgumentException($"RoPE tables of shape ({string.Join(", ", table.shape)}) for a sequence of {t} and head dimension {dh}");
    }

    // Compiled optimised at once (see FusedGeluTanh.MapRange: at tier 0 Vector256 is not an intrinsic).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void RotateRow(float* a, float* b, float* ya, float* yb, float* c, float* s, int half, bool inverse)
    {
        int i = 0;
        for (; i + 8 <= half; i += 8)
        {
            var (va, vb, vc, vs) = (Vector256.Load(a + i), Vector256.Load(b + i), Vector256.Load(c + i), Vector256.Load(s + i));
            // Forward: (a cos − b sin, b cos + a sin); inverse: (a cos + b sin, b cos − a sin).
            if (inverse) { (va * vc + vb * vs).Store(ya + i); (vb * vc - va * vs).Store(yb + i); }
            else { (va * vc - vb * vs).Store(ya + i); (vb * vc + va * vs).Store(yb + i); }
        }
        for (; i < half; i++)
        {
            if (inverse) { ya[i] = a[i] * c[i] + b[i] * s[i]; yb[i] = b[i] * c[i] - a[i] * s[i]; }
            else { ya[i] = a[i] * c[i] - b[i] * s[i]; yb[i] = b[i] * c[i] + a[i] * s[i]; }
        }
    }
}
