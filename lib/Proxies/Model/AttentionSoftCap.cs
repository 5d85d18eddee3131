using Proxies.Losses;
using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Model;

/// <summary>
/// Attention-logit soft-capping (Gemma 2): every pre-softmax logit z_ij = ⟨q_i, k_j⟩·scale becomes c·tanh(z_ij / c),
/// smooth, ≈ z for |z| ≪ c, bounded by ±c, so no logit can grow without limit and the softmax cannot collapse onto one
/// key. The formula is <see cref="OutputLogitFixes.SoftCap"/>'s, c·tanh(z/c); some ports have shipped z·tanh(z/c),
/// which is not bounded. The logits are formed explicitly (neither SDPA nor the fused kernel can cap them), and the
/// probe still reads the logits before the cap: whether they keep growing underneath it is the question.
/// </summary>
public static class AttentionSoftCap
{
    /// <summary>The capped logits c·tanh(q kᵀ·scale / c) over q, k (B, H, T, d_h), before the causal mask: |z| &lt; c
    /// (= c once |z/c| is past float32 tanh's saturation, about 9).</summary>
    public static Tensor Logits(Tensor q, Tensor k, double scale, double cap) =>
        OutputLogitFixes.SoftCap(matmul(q, k.transpose(-2, -1)).mul(LiveScalar.Of(scale)), cap);

    /// <summary>softmax(capped logits + causal mask) v over q, k, v (B, H, T, d_h).</summary>
    public static Tensor Apply(Tensor q, Tensor k, Tensor v, double scale, double cap)
    {
        return CausalMask.Apply(Logits(q, k, scale, cap)).softmax(-1).matmul(v);
    }
}
