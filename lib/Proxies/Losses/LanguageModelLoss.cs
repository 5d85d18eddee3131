using Proxies.Probes;
using static TorchSharp.torch;

namespace Proxies.Losses;

/// <summary>Loss terms of one batch, as tensors (no host sync), with the detached logits (B·T, V) and log Z (B·T)
/// from which probe steps compute output-logit statistics.</summary>
public readonly record struct LossTerms(Tensor Total, Tensor CrossEntropy, Tensor ZLoss, Tensor Logits, Tensor LogZ)
{
    /// <summary>The loss terms, and the output-logit statistics (computed only when asked: the std alone is a pass over
    /// B·T·V values): loss (the cross-entropy), z_loss (mean (log Z)², before its coefficient), output_logit_mean (mean y
    /// over tokens and vocabulary), log_z (mean log Z) and logit_std (per-token standard deviation of y over the
    /// vocabulary, averaged over tokens; a uniform shift of the logits leaves it unchanged).</summary>
    public Scalars Statistics()
    {
        using var _ = no_grad();
        return new Scalars()
            .Add(CrossEntropyName, CrossEntropy)
            .Add("z_loss", ZLoss)
            .Add(OutputLogitMeanName, Logits.mean())
            .Add(LogZName, LogZ.mean())
            .Add(LogitStdName, Logits.std(1).mean());
    }

    public const string CrossEntropyName = "loss", OutputLogitMeanName = "output_logit_mean", LogZName = "log_z", LogitStdName = "logit_std";
}

/// <summary>
/// Next-token cross-entropy with the paper's z-loss, both from one logsumexp (docs/science/model-and-training.md#z-loss):
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
