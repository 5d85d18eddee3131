using static TorchSharp.torch;

namespace Proxies.Model.Gemm;

/// <summary>
/// y = x·Wᵀ with OpenBLAS's sgemm, behind autograd: for x of shape (…, in) seen as an M × in matrix and W out × in,
///   forward   y  = x·Wᵀ        (M × out)
///   backward  dx = dy·W        (M × in),    dW = dyᵀ·x   (out × in)
/// the three products libtorch's linear runs, on the same row-major memory with no copies (a non-contiguous operand is
/// made contiguous first). Values and gradients equal libtorch's up to float32 rounding (tested against float64).
/// </summary>
public sealed class BlasLinear : autograd.SingleTensorFunction<BlasLinear>
{
    public override string Name => "BlasLinear";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        Tensor x = ((Tensor)vars[0]).contiguous(), w = ((Tensor)vars[1]).contiguous();
        ctx.save_for_backward([x, w]);
        return Output(x, w);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad)
    {
        var saved = ctx.get_saved_variables();
        using var dy = grad.contiguous();
        return [InputGradient(dy, saved[1]), WeightGradient(dy, saved[0])];
    }

    /// <summary>y = x·Wᵀ for contiguous x (…, in) and W (out, in).</summary>
    public static Tensor Output(Tensor x, Tensor w)
    {
        var y = empty([.. x.shape[..^1], w.shape[0]]);
        Output(x, w, y);
        return y;
    }

    /// <summary>x·Wᵀ written into <paramref name="y"/>, a contiguous (…, out) tensor: the product alone, with no
    /// allocation (the GEMM peak times it so).</summary>
    public static void Output(Tensor x, Tensor w, Tensor y)
    {
        long inner = w.shape[1], outer = w.shape[0];
        if (x.shape[^1] != inner)
            throw new ArgumentException($"x·Wᵀ needs x's last dimension ({x.shape[^1]}) to equal W's columns ({inner})");
        // The product writes rows of y.shape[^1] floats: any other shape, dtype or device would write out of bounds.
        if (!y.is_contiguous() || y.shape[^1] != outer || y.numel() != x.numel() / inner * outer
            || y.dtype != ScalarType.Float32 || y.device_type != TorchSharp.DeviceType.CPU)
            throw new ArgumentException($"x·Wᵀ needs a contiguous CPU float32 output of {x.numel() / inner} rows × {outer}");
        Product(false, true, (int)(x.numel() / inner), (int)outer, (int)inner, x, w, y);
    }

    /// <summary>dx = dy·W for contiguous dy (…, out) and W (out, in).</summary>
    public static Tensor InputGradient(Tensor dy, Tensor w)
    {
        var dx = empty([.. dy.shape[..^1], w.shape[1]]);
        Product(false, false, (int)(dy.numel() / w.shape[0]), (int)w.shape[1], (int)w.shape[0], dy, w, dx);
        return dx;
    }

    /// <summary>dW = dyᵀ·x over every row, for contiguous dy (…, out) and x (…, in).</summary>
    public static Tensor WeightGradient(Tensor dy, Tensor x)
    {
        long outer = dy.shape[^1], inner = x.shape[^1];
        var dw = empty(outer, inner);
        Product(true, false, (int)outer, (int)inner, (int)(x.numel() / inner), dy, x, dw);
        return dw;
    }

    /// <summary>c = op(a)·op(b) for row-major a, b, c stored untransposed (each leading dimension is its row length),
    /// through OpenBLAS on libtorch's intra-op thread count (one per sweep worker).</summary>
    static unsafe void Product(bool transA, bool transB, int m, int n, int k, Tensor a, Tensor b, Tensor c)
    {
        OpenBlas.Sgemm(transA, transB, m, n, k, (float*)Fused.Kernels.Address(a), (int)a.shape[^1], (float*)Fused.Kernels.Address(b), (int)b.shape[^1],
            (float*)Fused.Kernels.Address(c), (int)c.shape[^1], get_num_threads());
        GC.KeepAlive(a);
        GC.KeepAlive(b);
        GC.KeepAlive(c);
    }
}
