using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Proxies.Runtime;

namespace Proxies.Model;

public static class CausalAttention
{
    /// <summary>softmax(q kᵀ · scale + causal mask) v over q, k, v (B, H, T, d_h): the fused kernel
    /// <see cref="Fused.FusedCausalAttention"/> wherever it takes them (<see cref="Fused.Kernels"/>), else
    /// <see cref="Sdpa"/>.</summary>
    public static Tensor Apply(Tensor q, Tensor k, Tensor v, double scale) =>
        Fused.FusedCausalAttention.Take(q) ? Fused.FusedCausalAttention.apply(q, k, v, scale) : Sdpa(q, k, v, scale);

    /// <summary>libtorch's scaled_dot_product_attention: where the fused kernel does not run, and its reference.</summary>
    public static Tensor Sdpa(Tensor q, Tensor k, Tensor v, double scale)
    {
        // SDPA scales by 1/√d_h itself, so a different scale (full μParam: 1/d_h) is folded into q.
        double fold = scale * Math.Sqrt(q.shape[^1]);
        return F.scaled_dot_product_attention(fold != 1.0 ? q * LiveScalar.Of(fold) : q, k, v, is_casual: true);
    }
}
