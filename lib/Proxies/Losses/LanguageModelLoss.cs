using static TorchSharp.torch;

namespace Proxies.Losses;

/// <summary>Loss terms and output-logit statistics of one batch, as tensors (no host sync).</summary>
public readonly record struct LossTerms(Tensor Total, Tensor CrossEntropy, Tensor ZLoss, Tensor MeanLogit, Tensor MeanLogZ, Tensor LogitStd);

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
        using var _ = no_grad();
        return new LossTerms(total, ce, z, flat.detach().mean(), logZ.detach().mean(), flat.detach().std(1).mean());
    }
}
