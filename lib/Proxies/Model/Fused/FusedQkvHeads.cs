using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Proxies.Model.Fused;

/// <summary>
/// The q/k/v projection's output to the attention's inputs in one pass forward and one backward, behind autograd:
/// (B, T, 3d) split into heads, q and k normalised over d_h (qk-layernorm, when gains are given) and rotated (RoPE),
/// written as three contiguous (B, H, T, d_h) tensors. Why: composed (<see cref="QkvHeads.Composed"/>) this is a
/// layer_norm that first copies its strided input, RoPE, and a copy of v forward, and backward the same again plus what
/// autograd does for three slices of one tensor: a zero-filled (3, B, H, T, d_h) tensor per slice, its slice copied in,
/// the three summed, and a last copy into the projection's layout. Per row (one token, one head) of q or k, with
/// x̂ = (x − μ)·r, r = 1/√(σ² + ε) (biased σ²), z = g∘x̂ and R the rotation by the row's position:
///   forward  y = R z;
///   backward gz = R⁻¹ dy, dg += gz∘x̂, dx̂ = gz∘g, dx = r·(dx̂ − mean(dx̂) − x̂·mean(dx̂∘x̂)).
/// μ and r of each row are saved for the backward pass (x̂ is recomputed from them). The rotation is
/// <see cref="FusedRope"/>'s, so without qk-layernorm the outputs are bit for bit the composed ones; the normalisation
/// sums in another order than libtorch's, so with it they are not: it runs where <see cref="Kernels"/> allows
/// (<see cref="QkvHeads.Apply"/>). Tested against float64, values and gradients.
/// </summary>
public sealed class FusedQkvHeads : autograd.MultiTensorFunction<FusedQkvHeads>
{
    public override string Name => "FusedQkvHeads";

    /// <summary>Whether the kernel takes this (B, T, 3d) projection output: a CPU float32 tensor with 256-bit vectors.</summary>
    public static bool Take(Tensor qkv) => Kernels.Take(qkv) && qkv.dim() == 3;

    /// <summary>vars: qkv (B, T, 3d), heads (int), the q and k gains (d_h) or both null, ε (double), and the RoPE tables
    /// cos and sin (T, d_h/2), contiguous float32 on the CPU. Returns q, k, v (B, H, T, d_h).</summary>
    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var layout = Layout.Of(vars);
        var qkv = ((Tensor)vars[0]).contiguous();
        var (qGain, kGain, cos, sin) = ((Tensor?)vars[2], (Tensor?)vars[3], (Tensor)vars[5], (Tensor)vars[6]);
        var outputs = Enumerable.Range(0, 3).Select(_ => empty(layout.B, layout.H, layout.T, layout.D)).ToList();
        var moments = qGain is null ? null : empty(2, layout.B * layout.T, layout.H, 2);   // (q or k, token, head, μ and r)
        nint px = Kernels.Address(qkv), pq = Kernels.Address(outputs[0]), pk = Kernels.Address(outputs[1]), pv = Kernels.Address(outputs[2]);
        nint pqg = qGain is null ? 0 : Kernels.Address(qGain), pkg = kGain is null ? 0 : Kernels.Address(kGain);
        nint pc = Kernels.Address(cos), ps = Kernels.Address(sin), pm = moments is null ? 0 : Kernels.Address(moments);
        Kernels.ForRanges(layout.B * layout.T, 16, 1, (start, end) => ForwardRows(layout, start, end, px, pq, pk, pv, pqg, pkg, pm, pc, ps));
        ctx.save_for_backward(qGain is null ? [qkv, cos, sin] : [qkv, cos, sin, qGain, kGain!, moments!]);
        ctx.save_data("layout", layout);
        return outputs;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grads)
    {
        var saved = ctx.get_saved_variables();
        var layout = (Layout)ctx.get_data("layout");
        var (qkv, cos, sin) = (saved[0], saved[1], saved[2]);
        bool normalised = saved.Count == 6;
        using var dq = grads[0].contiguous();
        using var dk = grads[1].contiguous();
        using var dv = grads[2].contiguous();
        var dqkv = empty_like(qkv);
        long rows = layout.B * layout.T;
        // Each token's contribution to dg (summed over its heads), reduced below by libtorch, so that the
        // gains' gradients do not depend on how this kernel split its rows over threads.
        using var gainParts = normalised ? zeros(2, rows, layout.D) : null;
        nint px = Kernels.Address(qkv), pdx = Kernels.Address(dqkv), pc = Kernels.Address(cos), ps = Kernels.Address(sin);
        nint pdq = Kernels.Address(dq), pdk = Kernels.Address(dk), pdv = Kernels.Address(dv);
        nint pqg = normalised ? Kernels.Address(saved[3]) : 0, pkg = normalised ? Kernels.Address(saved[4]) : 0;
        nint pparts = gainParts is null ? 0 : Kernels.Address(gainParts), pm = normalised ? Kernels.Address(saved[5]) : 0;
        Kernels.ForRanges(rows, 16, 1, (start, end) => BackwardRows(layout, start, end, px, pdx, pdq, pdk, pdv, pqg, pkg, pm, pparts, pc, ps));
        Tensor? dqGain = null, dkGain = null;
        if (gainParts is not null)
        {
            using var sums = gainParts.sum(1);
            (dqGain, dkGain) = (sums[0], sums[1]);
        }
        return [dqkv, null!, dqGain!, dkGain!, null!, null!, null!];
    }

    /// <summary>The shapes, checked before any raw read: B, T, heads H, head dim D (d = H·D), and ε.</summary>
    sealed record Layout(long B, long T, long H, int D, float Eps)
    {
        public long Width => H * D;

        public static Layout Of(object[] vars)
        {
            var (qkv, heads, qGain, kGain, eps, cos, sin) =
                ((Tensor)vars[0], (int)vars[1], (Tensor?)vars[2], (Tensor?)vars[3], (double)vars[4], (Tensor)vars[5], (Tensor)vars[6]);
            if (qkv.dim() != 3 || qkv.shape[2] % (3L * heads) != 0)
                throw new ArgumentException($"a q/k/v projection output of shape ({string.Join(", ", qkv.shape)}) for {heads} heads");
            var layout = new Layout(qkv.shape[0], qkv.shape[1], heads, (int)(qkv.shape[2] / 3 / heads), (float)eps);
            if (layout.D % 2 != 0) throw new ArgumentException($"RoPE needs an even head dimension, got {layout.D}");
            FusedRope.CheckTables(cos, sin, layout.T, layout.D);
            if ((qGain is null) != (kGain is null)) throw new ArgumentException("qk-layernorm needs both gains or neither");
            foreach (var gain in new[] { qGain, kGain })
                if (gain is not null && (!gain.shape.SequenceEqual(new long[] { layout.D }) || gain.dtype != ScalarType.Float32 || !gain.is_contiguous()))
                    throw new ArgumentException($"a qk-layernorm gain of shape ({string.Join(", ", gain.shape)}) for head dimension {layout.D}");
            return layout;
        }

        /// <summary>Element offset of row (b, 0, t) in a (B, H, T, D) tensor, for token row r = b·T + t; head h's row is
        /// <see cref="HeadStride"/>·h further on.</summary>
        public long HeadRow(long r) => (r / T * H * T + r % T) * D;

        public long HeadStride => T * D;

        /// <summary>Element offset of μ of q (part 0) or k (part 1) of token row r, head h, in the (2, B·T, H, 2) moments.</summary>
        public long MomentsAt(int part, long r, long h) => ((part * B * T + r) * H + h) * 2;
    }

    // Compiled optimised at once (see FusedGeluTanh.MapRange: at tier 0 Vector256 is not an intrinsic).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void ForwardRows(Layout l, long start, long end, nint qkv, nint q, nint k, nint v, nint qGain, nint kGain,
        nint moments, nint cos, nint sin)
    {
        int d = l.D, half = d / 2;
        float* z = stackalloc float[d];
        for (long r = start; r < end; r++)
        {
            float* row = (float*)qkv + r * 3 * l.Width, c = (float*)cos + r % l.T * half, s = (float*)sin + r % l.T * half;
            long head0 = l.HeadRow(r);
            for (long h = 0; h < l.H; h++)
            {
                long at = head0 + h * l.HeadStride;
                for (int part = 0; part < 2; part++)
                {
                    float* x = row + part * l.Width + h * d, y = (float*)(part == 0 ? q : k) + at;
                    float* gain = (float*)(part == 0 ? qGain : kGain);
                    if (gain != null) { Normalise(x, gain, z, (float*)moments + l.MomentsAt(part, r, h), d, l.Eps); x = z; }
                    FusedRope.RotateRow(x, x + half, y, y + half, c, s, half, inverse: false);
                }
                new ReadOnlySpan<float>(row + 2 * l.Width + h * d, d).CopyTo(new Span<float>((float*)v + at, d));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void BackwardRows(Layout l, long start, long end, nint qkv, nint dqkv, nint dq, nint dk, nint dv,
        nint qGain, nint kGain, nint moments, nint gainParts, nint cos, nint sin)
    {
        int d = l.D, half = d / 2;
        float* gz = stackalloc float[d];
        long rows = l.B * l.T;
        for (long r = start; r < end; r++)
        {
            float* row = (float*)qkv + r * 3 * l.Width, drow = (float*)dqkv + r * 3 * l.Width;
            float* c = (float*)cos + r % l.T * half, s = (float*)sin + r % l.T * half;
            long head0 = l.HeadRow(r);
            for (long h = 0; h < l.H; h++)
            {
                long at = head0 + h * l.HeadStride;
                for (int part = 0; part < 2; part++)
                {
                    float* dy = (float*)(part == 0 ? dq : dk) + at, dx = drow + part * l.Width + h * d;
                    float* gain = (float*)(part == 0 ? qGain : kGain);
                    if (gain == null) { FusedRope.RotateRow(dy, dy + half, dx, dx + half, c, s, half, inverse: true); continue; }
                    FusedRope.RotateRow(dy, dy + half, gz, gz + half, c, s, half, inverse: true);
                    float* m = (float*)moments + l.MomentsAt(part, r, h);
                    NormaliseBackward(row + part * l.Width + h * d, gain, gz, dx, (float*)gainParts + (part * rows + r) * d, d, m[0], m[1]);
                }
                new ReadOnlySpan<float>((float*)dv + at, d).CopyTo(new Span<float>(drow + 2 * l.Width + h * d, d));
            }
        }
    }

    /// <summary>z = g∘(x − μ)·r over one row of d; μ and r are kept in <paramref name="moments"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void Normalise(float* x, float* gain, float* z, float* moments, int d, float eps)
    {
        var (mean, rstd) = Moments(x, d, eps);
        (moments[0], moments[1]) = (mean, rstd);
        int i = 0;
        for (; i + 8 <= d; i += 8)
            ((Vector256.Load(x + i) - Vector256.Create(mean)) * Vector256.Create(rstd) * Vector256.Load(gain + i)).Store(z + i);
        for (; i < d; i++) z[i] = (x[i] - mean) * rstd * gain[i];
    }

    /// <summary>dx = r·(dx̂ − mean(dx̂) − x̂·mean(dx̂∘x̂)) with dx̂ = gz∘g, and gz∘x̂ added to this row's part of dg.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void NormaliseBackward(float* x, float* gain, float* gz, float* dx, float* gainPart, int d, float mean, float rstd)
    {
        var (vm, vr) = (Vector256.Create(mean), Vector256.Create(rstd));
        var (sum, sumX) = (Vector256<float>.Zero, Vector256<float>.Zero);
        float tailSum = 0, tailSumX = 0;
        int i = 0;
        for (; i + 8 <= d; i += 8)
        {
            var (xh, g) = ((Vector256.Load(x + i) - vm) * vr, Vector256.Load(gz + i));
            (Vector256.Load(gainPart + i) + g * xh).Store(gainPart + i);
            var dxh = g * Vector256.Load(gain + i);
            (sum, sumX) = (sum + dxh, sumX + dxh * xh);
        }
        for (int j = i; j < d; j++)
        {
            float xh = (x[j] - mean) * rstd, dxh = gz[j] * gain[j];
            gainPart[j] += gz[j] * xh;
            (tailSum, tailSumX) = (tailSum + dxh, tailSumX + dxh * xh);
        }
        float a = (Vector256.Sum(sum) + tailSum) / d, b = (Vector256.Sum(sumX) + tailSumX) / d;
        for (i = 0; i + 8 <= d; i += 8)
        {
            var xh = (Vector256.Load(x + i) - vm) * vr;
            (vr * (Vector256.Load(gz + i) * Vector256.Load(gain + i) - Vector256.Create(a) - xh * Vector256.Create(b))).Store(dx + i);
        }
        for (; i < d; i++) dx[i] = rstd * (gz[i] * gain[i] - a - (x[i] - mean) * rstd * b);
    }

    /// <summary>The row's mean μ and r = 1/√(σ² + ε), σ² the biased variance, as LayerNorm defines them (two passes:
    /// the mean first, then the squared deviations from it, which does not cancel as E[x²] − μ² can).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe (float Mean, float Rstd) Moments(float* x, int d, float eps)
    {
        var acc = Vector256<float>.Zero;
        float tail = 0;
        int i = 0;
        for (; i + 8 <= d; i += 8) acc += Vector256.Load(x + i);
        for (int j = i; j < d; j++) tail += x[j];
        float mean = (Vector256.Sum(acc) + tail) / d;
        var (vm, squares) = (Vector256.Create(mean), Vector256<float>.Zero);
        tail = 0;
        for (i = 0; i + 8 <= d; i += 8) { var dev = Vector256.Load(x + i) - vm; squares += dev * dev; }
        for (int j = i; j < d; j++) tail += (x[j] - mean) * (x[j] - mean);
        return (mean, 1 / MathF.Sqrt((Vector256.Sum(squares) + tail) / d + eps));
    }
}
