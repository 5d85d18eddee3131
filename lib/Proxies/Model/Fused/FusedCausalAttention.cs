using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Proxies.Model.Fused;

/// <summary>
/// Causal softmax attention, y = softmax(s·q kᵀ + causal mask) v, forward and backward in C#, behind autograd. Why:
/// libtorch's SDPA is the largest non-GEMM cost of a block (`bench --kernels`; docs/performance.md#why-the-code-is-as-it-is), and at a workbook's sizes (T ≤ 512, d_h = 32) one (batch, head) slice's score matrix fits in the
/// cache, so each slice is done in one pass of small register-blocked products while its data is hot, skipping the
/// masked half. Per slice, with P = softmax rows and ℓᵢ = logsumexp of row i (saved; P is recomputed, not stored):
///   forward  P = exp(s·q kᵀ − ℓ), y = P v;
///   backward Dᵢ = dyᵢ·yᵢ, dP = dy vᵀ, dS = s·P∘(dP − D), dq = dS k, dk = dSᵀ q, dv = Pᵀ dy.
/// Not bit for bit SDPA (other summation orders, its own exp): it runs where <see cref="Take"/> says, and
/// <see cref="CausalAttention.Apply"/> runs libtorch's SDPA elsewhere. Tested against float64, values and gradients.
/// </summary>
public sealed class FusedCausalAttention : autograd.SingleTensorFunction<FusedCausalAttention>
{
    public override string Name => "FusedCausalAttention";

    /// <summary>Whether the kernel takes these q, k, v (B, H, T, d_h): float32 on a CPU with 256-bit vectors and fused
    /// multiply-add, d_h and T multiples of 8 (the kernel's vector width).</summary>
    public static bool Take(Tensor q) =>
        Kernels.Take(q) && q.dim() == 4 && q.shape[^1] % 8 == 0 && q.shape[^2] % 8 == 0;

    /// <summary>vars: q, k, v (B, H, T, d_h) float32 on the CPU, and the logit scale s (double).</summary>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        Tensor q = ((Tensor)vars[0]).contiguous(), k = ((Tensor)vars[1]).contiguous(), v = ((Tensor)vars[2]).contiguous();
        float scale = (float)(double)vars[3];
        if (!k.shape.SequenceEqual(q.shape) || !v.shape.SequenceEqual(q.shape))
            throw new ArgumentException($"fused attention needs q, k, v of one shape, got ({string.Join(", ", q.shape)}), ({string.Join(", ", k.shape)}), ({string.Join(", ", v.shape)})");
        var y = empty_like(q);
        var lse = empty(q.shape[..^1], dtype: ScalarType.Float32);
        nint pq = Kernels.Address(q), pk = Kernels.Address(k), pv = Kernels.Address(v), py = Kernels.Address(y), pl = Kernels.Address(lse);
        Slices(q, (s, scratch) => Forward(s, pq, pk, pv, py, pl, scale, scratch));
        ctx.save_for_backward([q, k, v, y, lse]);
        ctx.save_data("scale", scale);
        return y;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad)
    {
        var saved = ctx.get_saved_variables();
        var (q, k, v, y, lse) = (saved[0], saved[1], saved[2], saved[3], saved[4]);
        float scale = (float)ctx.get_data("scale");
        using var dy = grad.contiguous();
        Tensor dq = empty_like(q), dk = empty_like(q), dv = empty_like(q);
        nint pq = Kernels.Address(q), pk = Kernels.Address(k), pv = Kernels.Address(v), py = Kernels.Address(y), pl = Kernels.Address(lse);
        nint pdy = Kernels.Address(dy), pdq = Kernels.Address(dq), pdk = Kernels.Address(dk), pdv = Kernels.Address(dv);
        Slices(q, (s, scratch) => Backward(s, pq, pk, pv, py, pl, pdy, pdq, pdk, pdv, scale, scratch));
        GC.KeepAlive(dy);
        return [dq, dk, dv, null!];
    }

    /// <summary>One (batch, head) slice's shape, and its offset in elements into a (B, H, T, d_h) tensor.</summary>
    readonly record struct Slice(long Index, int T, int D)
    {
        public long Offset => Index * T * D;
    }

    /// <summary>Per-thread scratch: kᵀ and vᵀ (d_h × T), two T × T score matrices, and T row sums.</summary>
    unsafe readonly struct Scratch(float* kT, float* vT, float* a, float* b, float* sums)
    {
        public readonly float* KT = kT, VT = vT, A = a, B = b, Sums = sums;
    }

    /// <summary>Runs <paramref name="body"/> over every (batch, head) slice of tensors shaped like <paramref name="q"/>,
    /// the slices split over the threads, each thread with its own scratch (64-byte aligned, freed when its slices are
    /// done).</summary>
    static unsafe void Slices(Tensor q, Action<Slice, Scratch> body)
    {
        int t = (int)q.shape[^2], d = (int)q.shape[^1];
        long slices = q.numel() / ((long)t * d);
        Kernels.ForRanges(slices, 2, 1, (start, end) =>
        {
            nuint floats = (nuint)(2L * d * t + 2L * t * t + t);
            var memory = (float*)NativeMemory.AlignedAlloc(floats * sizeof(float), 64);
            try
            {
                float* scores = memory + 2 * d * t;
                var scratch = new Scratch(memory, memory + d * t, scores, scores + t * t, scores + 2 * t * t);
                for (long s = start; s < end; s++) body(new Slice(s, t, d), scratch);
            }
            finally { NativeMemory.AlignedFree(memory); }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void Forward(Slice s, nint qAll, nint kAll, nint vAll, nint yAll, nint lseAll, float scale, Scratch w)
    {
        int t = s.T, d = s.D;
        float* q = (float*)qAll + s.Offset, k = (float*)kAll + s.Offset, v = (float*)vAll + s.Offset;
        float* y = (float*)yAll + s.Offset, lse = (float*)lseAll + s.Index * t, scores = w.A;
        Transpose(k, t, d, w.KT);
        ScoresLower(q, w.KT, scores, t, d);                      // q kᵀ, on and below the diagonal
        for (int i = 0; i < t; i++) lse[i] = SoftmaxRow(scores + (long)i * t, i + 1, t, scale, out w.Sums[i]);
        Product(scores, t, v, d, y, transposed: false);           // y = P v with P unnormalised, then each row / its sum
        for (int i = 0; i < t; i++) Scale(y + (long)i * d, d, 1 / w.Sums[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void Backward(Slice s, nint qAll, nint kAll, nint vAll, nint yAll, nint lseAll, nint dyAll,
        nint dqAll, nint dkAll, nint dvAll, float scale, Scratch w)
    {
        int t = s.T, d = s.D;
        float* q = (float*)qAll + s.Offset, k = (float*)kAll + s.Offset, v = (float*)vAll + s.Offset;
        float* y = (float*)yAll + s.Offset, lse = (float*)lseAll + s.Index * t, dy = (float*)dyAll + s.Offset;
        float* dq = (float*)dqAll + s.Offset, dk = (float*)dkAll + s.Offset, dv = (float*)dvAll + s.Offset;
        float* p = w.A, ds = w.B;
        Transpose(k, t, d, w.KT);
        Transpose(v, t, d, w.VT);
        ScoresLower(q, w.KT, p, t, d);                            // q kᵀ
        ScoresLower(dy, w.VT, ds, t, d);                          // dP = dy vᵀ
        for (int i = 0; i < t; i++)
        {
            float rowDot = Dot(dy + (long)i * d, y + (long)i * d, d);   // Dᵢ = dyᵢ·yᵢ = Σⱼ Pᵢⱼ dPᵢⱼ
            GradientRow(p + (long)i * t, ds + (long)i * t, i + 1, t, scale, lse[i], rowDot);
        }
        Product(ds, t, k, d, dq, transposed: false);              // dq = dS k
        Product(p, t, dy, d, dv, transposed: true);               // dv = Pᵀ dy
        Product(ds, t, q, d, dk, transposed: true);               // dk = dSᵀ q
    }

    /// <summary>out[i, j] = a[i]·bᵀ[:, j] for j up to the diagonal (rounded up to whole vectors; what lies above the
    /// diagonal is not used): the scores q kᵀ (or dy vᵀ) with kᵀ stored d × T.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void ScoresLower(float* a, float* bT, float* output, int t, int d)
    {
        for (int i = 0; i < t; i += 2)
        {
            int cols = Math.Min(t, (i + 2 + 7) / 8 * 8);
            TwoRows(a + (long)i * d, a + (long)(i + 1) * d, 1, bT, t, output + (long)i * t, output + (long)(i + 1) * t, cols, 0, d);
        }
    }

    /// <summary>output (t × n) = a · b (t × n) with a (t × t) zero above its diagonal, or aᵀ · b when
    /// <paramref name="transposed"/>: row i sums over a's columns [0, i], or, transposed, down a's column i over rows
    /// [i, t) (read with a stride, so no T × T transpose is written).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void Product(float* a, int t, float* b, int n, float* output, bool transposed)
    {
        for (int i = 0; i < t; i += 2)
        {
            if (transposed)
                TwoRows(a + i, a + i + 1, t, b, n, output + (long)i * n, output + (long)(i + 1) * n, n, i, t);
            else
                TwoRows(a + (long)i * t, a + (long)(i + 1) * t, 1, b, n, output + (long)i * n, output + (long)(i + 1) * n, n, 0, Math.Min(t, i + 2));
        }
    }

    /// <summary>Two rows of a product at once, c0[j] = Σₘ a0[m·stride]·b[m, j] and c1 likewise, m in [lo, hi), j in [0, cols)
    /// (cols a multiple of 8): 32 columns × 2 rows in eight accumulators (FMA latency is hidden by eight independent
    /// chains), then 8 columns at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void TwoRows(float* a0, float* a1, int stride, float* b, int ldb, float* c0, float* c1, int cols, int lo, int hi)
    {
        int j = 0;
        for (; j + 32 <= cols; j += 32)
        {
            Vector256<float> x0 = default, x1 = default, x2 = default, x3 = default, y0 = default, y1 = default, y2 = default, y3 = default;
            for (int m = lo; m < hi; m++)
            {
                float* row = b + (long)m * ldb + j;
                var (b0, b1, b2, b3) = (Vector256.Load(row), Vector256.Load(row + 8), Vector256.Load(row + 16), Vector256.Load(row + 24));
                var (s0, s1) = (Vector256.Create(a0[m * stride]), Vector256.Create(a1[m * stride]));
                x0 = Vector256.FusedMultiplyAdd(s0, b0, x0); x1 = Vector256.FusedMultiplyAdd(s0, b1, x1);
                x2 = Vector256.FusedMultiplyAdd(s0, b2, x2); x3 = Vector256.FusedMultiplyAdd(s0, b3, x3);
                y0 = Vector256.FusedMultiplyAdd(s1, b0, y0); y1 = Vector256.FusedMultiplyAdd(s1, b1, y1);
                y2 = Vector256.FusedMultiplyAdd(s1, b2, y2); y3 = Vector256.FusedMultiplyAdd(s1, b3, y3);
            }
            x0.Store(c0 + j); x1.Store(c0 + j + 8); x2.Store(c0 + j + 16); x3.Store(c0 + j + 24);
            y0.Store(c1 + j); y1.Store(c1 + j + 8); y2.Store(c1 + j + 16); y3.Store(c1 + j + 24);
        }
        for (; j < cols; j += 8)
        {
            Vector256<float> x0 = default, y0 = default;
            for (int m = lo; m < hi; m++)
            {
                var b0 = Vector256.Load(b + (long)m * ldb + j);
                x0 = Vector256.FusedMultiplyAdd(Vector256.Create(a0[m * stride]), b0, x0);
                y0 = Vector256.FusedMultiplyAdd(Vector256.Create(a1[m * stride]), b0, y0);
            }
            x0.Store(c0 + j); y0.Store(c1 + j);
        }
    }

    /// <summary>Row i of the forward pass: its first n scores x become exp(s·x − m), m = s·max x, and the rest zero (the
    /// products read a whole row); <paramref name="sum"/> is their sum, which y's row is divided by once it is made.
    /// Returns ℓ = m + log sum, the row's logsumexp, from which the backward pass recomputes P.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe float SoftmaxRow(float* row, int n, int t, float scale, out float sum)
    {
        int whole = n / 8 * 8;
        var vmax = Vector256.Create(float.NegativeInfinity);
        for (int j = 0; j < whole; j += 8) vmax = Vector256.Max(vmax, Vector256.Load(row + j));
        float max = float.NegativeInfinity;
        for (int j = 0; j < 8; j++) max = MathF.Max(max, vmax.GetElement(j));
        for (int j = whole; j < n; j++) max = MathF.Max(max, row[j]);
        float shift = scale * max;   // s > 0, so the largest logit
        var (vs, vshift) = (Vector256.Create(scale), Vector256.Create(shift));
        var total = Vector256<float>.Zero;
        for (int j = 0; j < whole; j += 8)
        {
            var e = Exp(Vector256.FusedMultiplyAdd(vs, Vector256.Load(row + j), -vshift));
            e.Store(row + j);
            total += e;
        }
        sum = Vector256.Sum(total);
        for (int j = whole; j < n; j++) { row[j] = Exp(Vector256.Create(scale * row[j] - shift)).GetElement(0); sum += row[j]; }
        new Span<float>(row + n, t - n).Clear();
        return shift + MathF.Log(sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void Scale(float* row, int n, float factor)
    {
        var f = Vector256.Create(factor);
        for (int j = 0; j < n; j += 8) (Vector256.Load(row + j) * f).Store(row + j);
    }

    /// <summary>Row i of the backward pass: P = exp(s·x − ℓ) recomputed from the scores in <paramref name="p"/>, and
    /// dS = s·P·(dP − D) over dP in <paramref name="ds"/>, both zero after the first n entries.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void GradientRow(float* p, float* ds, int n, int t, float scale, float lse, float rowDot)
    {
        var (vs, vl, vd) = (Vector256.Create(scale), Vector256.Create(lse), Vector256.Create(rowDot));
        int j = 0;
        for (; j + 8 <= n; j += 8)
        {
            var e = Exp(Vector256.FusedMultiplyAdd(vs, Vector256.Load(p + j), -vl));
            e.Store(p + j);
            (vs * e * (Vector256.Load(ds + j) - vd)).Store(ds + j);
        }
        for (; j < n; j++)
        {
            float e = Exp(Vector256.Create(scale * p[j] - lse)).GetElement(0);
            p[j] = e;
            ds[j] = scale * e * (ds[j] - rowDot);
        }
        new Span<float>(p + n, t - n).Clear();
        new Span<float>(ds + n, t - n).Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe float Dot(float* a, float* b, int n)
    {
        var sum = Vector256<float>.Zero;
        for (int j = 0; j < n; j += 8) sum = Vector256.FusedMultiplyAdd(Vector256.Load(a + j), Vector256.Load(b + j), sum);
        return Vector256.Sum(sum);
    }

    /// <summary>output (cols × rows) = input (rows × cols)ᵀ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void Transpose(float* input, int rows, int cols, float* output)
    {
        for (int c = 0; c < cols; c++)
            for (int r = 0; r < rows; r++)
                output[(long)c * rows + r] = input[(long)r * cols + c];
    }

    /// <summary>eˣ for x ≤ 0 (every argument here is a logit minus at least its row's largest): x = n·ln 2 + r with
    /// |r| ≤ ½ln 2, eʳ by Cephes' degree-7 polynomial (about 1 ulp), 2ⁿ through the exponent bits; below −87 it returns
    /// e⁻⁸⁷ ≈ 1.6e-38 instead of a denormal or zero, a weight no sum of probabilities can see. n is rounded by adding
    /// 1.5·2²³ (the float's last bit is then worth 1, so its low bits hold n), which needs no rounding or conversion
    /// instruction the JIT might not map to one on every CPU.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> Exp(Vector256<float> x)
    {
        var magic = Vector256.Create(12582912f);
        x = Vector256.Max(x, Vector256.Create(-87f));
        var shifted = Vector256.FusedMultiplyAdd(x, Vector256.Create(1.44269504088896341f), magic);
        var n = shifted - magic;
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-0.693359375f), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(2.12194440e-4f), r);
        var p = Vector256.Create(1.9875691500E-4f);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.3981999507E-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(8.3334519073E-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(4.1665795894E-2f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.6666665459E-1f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(5.0000001201E-1f));
        p = Vector256.FusedMultiplyAdd(p, r * r, r + Vector256<float>.One);
        // shifted's bits are 0x4B400000 + n; shifting (bits + 127) left by 23 drops the 0x4B40 and leaves (n + 127) << 23.
        var twoToN = Vector256.ShiftLeft(shifted.AsInt32() + Vector256.Create(127), 23).AsSingle();
        return p * twoToN;
    }
}
