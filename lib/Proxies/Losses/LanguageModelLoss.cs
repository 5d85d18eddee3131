using static TorchSharp.torch;

namespace Proxies.Losses;

/// <summary>Loss terms of one batch, as tensors (no host sync), with the detached logits (B·T, V) and log Z (B·T)
/// from which probe steps compute output-logit statistics.</summary>
public readonly record struct LossTerms(Tensor Total, Tensor CrossEntropy, Tensor ZLoss, Tensor Logits, Tensor LogZ)
{
    /// <summary>Mean output logit, mean log Z and the per-token standard deviation of the logits, as one tensor
    /// (computed only when asked: the std alone is a pass over B·T·V values).</summary>
    public Tensor Statistics()
    {
        using var _ = no_grad();
        return stack(new[] { Logits.mean(), LogZ.mean(), Logits.std(1).mean() });
    }
}

/// <summary>
/// Next-token cross-entropy with the paper's z-loss, both from one logsumexp (science.md §1.4):
/// log Z = logsumexp_j y_j, CE = mean(log Z − y_target), z-loss = coef · mean((log Z)²).
/// </summary>
public static class LanguageModelLoss
{
    /// <param name="logits">(B, T, V) output logits y.</param>
    /// <param name="targets">(B, T) next tokens.</param>
    public static LossTerms Compute(Tensor logits, Tensor targets, double zLossCoef)
    {
        var flat = logits.view(-1, logits.shape[^1]);
        var logZ = flat.logsumexp(-1);                                        // (B·T)
        var target = flat.gather(1, targets.reshape(-1, 1)).squeeze(1);      // y_target
        var ce = (logZ - target).mean();
        var z = logZ.square().mean();
        var total = zLossCoef == 0 ? ce : ce + zLossCoef * z;
        return new LossTerms(total, ce, z, flat.detach(), logZ.detach());
    }
}
