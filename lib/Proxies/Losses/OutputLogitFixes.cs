using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Losses;

/// <summary>
/// The fixes for output-logit divergence compared by Stollenwerk et al. 2026 (docs/science/output-logit-divergence.md), besides z-loss and
/// weight decay. With head rows e_j and μ = mean_j e_j, the mean output logit is exactly μ·h; cross-entropy
/// gradients of the rows sum to zero, so SGD never moves μ, while Adam's per-coordinate scaling does.
/// </summary>
public static class OutputLogitFixes
{
    /// <summary>μ = mean over the vocabulary of the head's rows, (V, d) → (d).</summary>
    public static Tensor Mu(Tensor head) => head.mean(new long[] { 0 });

    /// <summary>μ-loss: coef·‖μ‖², added to the training loss.</summary>
    public static Tensor MuLoss(Tensor head, double coef) => LiveScalar.Of(coef) * Mu(head).Squared().sum();

    /// <summary>μ-centering: after an optimizer step, subtract μ from every head row. Every logit of a token moves by
    /// the same −μ·h, so every softmax probability is unchanged, and ‖μ‖ becomes 0.</summary>
    public static void CenterHead(Tensor head)
    {
        using var _ = no_grad();
        head.sub_(Mu(head));
    }

    /// <summary>Logit soft-capping: y ← C·tanh(y/C), smooth, ≈ y for |y| ≪ C, bounded by ±C.</summary>
    public static Tensor SoftCap(Tensor logits, double cap) => (logits / LiveScalar.Of(cap)).tanh() * LiveScalar.Of(cap);
}
