using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Proxies.Runtime;

namespace Proxies.Model;

/// <summary>Which kernel computes a block's causal attention. Sdpa: libtorch's scaled_dot_product_attention (the
/// committed results' kernel). Fused: the C# kernel <see cref="Fused.FusedCausalAttention"/>, equal to SDPA up to float32
/// rounding but not bit for bit, hence a switch with its own run ids rather than the default.</summary>
public enum AttentionKind { Sdpa, Fused }

public static class CausalAttention
{
    /// <summary>softmax(q kᵀ · scale + causal mask) v over q, k, v (B, H, T, d_h).</summary>
    public static Tensor Apply(Tensor q, Tensor k, Tensor v, double scale, AttentionKind kind)
    {
        if (kind == AttentionKind.Fused && Fused.FusedCausalAttention.Take(q))
            return Fused.FusedCausalAttention.apply(q, k, v, scale);
        // SDPA scales by 1/√d_h itself, so a different scale (full μParam: 1/d_h) is folded into q.
        double fold = scale * Math.Sqrt(q.shape[^1]);
        return F.scaled_dot_product_attention(fold != 1.0 ? q * LiveScalar.Of(fold) : q, k, v, is_casual: true);
    }
}
