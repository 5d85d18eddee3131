using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Proxies.Model.Fused;

/// <summary>
/// The tanh form of GELU in one C# pass forward and one backward, behind autograd. Why: libtorch's CPU kernel for it
/// is the slowest non-GEMM op of a block after attention, slower than libtorch's exact form (`bench --kernels`;
/// docs/performance.md#why-the-code-is-as-it-is), and the tanh form is the one the paper's code base uses. With u = √(2/π)(x + 0.044715x³)
/// and t = tanh u:
///   y = ½x(1 + t),   dy/dx = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²).
/// tanh is a rational approximation (<see cref="Tanh"/>); t is recomputed in the backward pass rather than stored.
/// Against float64 its values are as close as libtorch's float32 kernel and its gradients within 2.6× libtorch's own
/// float32 error (7e-6 near |x| = 5, where 1 − t² loses digits in float32; tested), not bit for bit; it runs where
/// <see cref="Kernels.Take"/> says, and <see cref="Gelu.Apply"/> runs libtorch's tanh form elsewhere.
/// </summary>
public sealed class FusedGeluTanh : autograd.SingleTensorFunction<FusedGeluTanh>
{
    const float K0 = 0.7978845608028654f, K1 = 0.044715f;

    public override string Name => "FusedGeluTanh";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = ((Tensor)vars[0]).contiguous();
        ctx.save_for_backward([x]);
        return Map(x, null);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad)
    {
        using var g = grad.contiguous();   // held until the kernel, which sees only its address, is done
        return [Map(ctx.get_saved_variables()[0], g)];
    }

    /// <summary>y = GELU(x) when <paramref name="grad"/> is null, else grad · GELU'(x).</summary>
    static unsafe Tensor Map(Tensor x, Tensor? grad)
    {
        var y = empty_like(x);
        long n = x.numel();
        nint px = Kernels.Address(x), py = Kernels.Address(y), pg = grad is null ? 0 : Kernels.Address(grad);
        Kernels.ForRanges(n, 65536, 8, (start, end) => MapRange((float*)px, (float*)py, (float*)pg, start, end));
        GC.KeepAlive(x);
        GC.KeepAlive(grad);
        return y;
    }

    // Compiled optimised at once: at tier 0 the JIT does not treat Vector256 as intrinsics, and a kernel called a few
    // dozen times ran 5× slower than libtorch's before tiering caught up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void MapRange(float* xs, float* ys, float* gs, long start, long end)
    {
        long i = start;
        for (; i + 8 <= end; i += 8)
        {
            var v = Vector256.Load(xs + i);
            var r = gs == null ? Forward(v) : Vector256.Load(gs + i) * Derivative(v);
            r.Store(ys + i);
        }
        for (; i < end; i++)
        {
            var v = Vector256.Create(xs[i]);
            ys[i] = (gs == null ? Forward(v) : Vector256.Create(gs[i]) * Derivative(v)).GetElement(0);
        }
    }

    /// <summary>tanh as a rational function, the odd degree-13 over even degree-6 fit Eigen uses for float (a few ulp
    /// on the clamped range |u| ≤ 7.905; beyond it tanh is within 3e-7 of ±1): one division and no exp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> Tanh(Vector256<float> u)
    {
        var x = Vector256.Clamp(u, Vector256.Create(-7.90531110763549805f), Vector256.Create(7.90531110763549805f));
        var x2 = x * x;
        var p = Vector256.Create(-2.76076847742355e-16f);
        p = p * x2 + Vector256.Create(2.00018790482477e-13f);
        p = p * x2 + Vector256.Create(-8.60467152213735e-11f);
        p = p * x2 + Vector256.Create(5.12229709037114e-08f);
        p = p * x2 + Vector256.Create(1.48572235717979e-05f);
        p = p * x2 + Vector256.Create(6.37261928875436e-04f);
        p = p * x2 + Vector256.Create(4.89352455891786e-03f);
        var q = Vector256.Create(1.19825839466702e-06f);
        q = q * x2 + Vector256.Create(1.18534705686654e-04f);
        q = q * x2 + Vector256.Create(2.26843463243900e-03f);
        q = q * x2 + Vector256.Create(4.89352518554385e-03f);
        return x * p / q;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> Forward(Vector256<float> x)
    {
        var t = Tanh(K0 * (x + K1 * x * x * x));
        return 0.5f * x * (Vector256<float>.One + t);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> Derivative(Vector256<float> x)
    {
        var x2 = x * x;
        var t = Tanh(K0 * (x + K1 * x2 * x));
        return 0.5f * (Vector256<float>.One + t) + 0.5f * x * (Vector256<float>.One - t * t) * K0 * (Vector256<float>.One + 3 * K1 * x2);
    }
}
