using Proxies.Runtime;
using static TorchSharp.torch;

namespace Proxies.Losses;

/// <summary>Loss terms of one batch, as tensors (no host sync), with the detached logits (B·T, V) and log Z (B·T)
/// from which probe steps compute output-logit statistics.</summary>
public readonly record struct LossTerms(Tensor CrossEntropy, Tensor ZLoss, Tensor Logits, Tensor LogZ)
{
    /// <summary>The paper's z-loss term, coef · mean((log Z)²), as the training loss adds it.</summary>
    public Tensor ZLossTerm(double coef) => LiveScalar.Of(coef) * ZLoss;

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
/// Next-token cross-entropy and the paper's z-loss, both from one logsumexp (docs/science/model-and-training.md#z-loss):
/// log Z = logsumexp_j y_j, CE = mean(log Z − y_target), z-loss = coef · mean((log Z)²) (<see cref="LossTerms.ZLossTerm"/>,
/// added to the training loss by the z-loss hook).
/// </summary>
public static class LanguageModelLoss
{
    /// <param name="logits">(B, T, V) output logits y.</param>
    /// <param name="targets">(B, T) next tokens.</param>
    public static LossTerms Compute(Tensor logits, Tensor targets)
    {
        var flat = logits.view(-1, logits.shape[^1]);
        var logZ = flat.logsumexp(-1);                                        // (B·T)
        var target = flat.gather(1, targets.reshape(-1, 1)).squeeze(1);      // y_target
        var ce = (logZ - target).mean();
        var z = logZ.Squared().mean();
        return new LossTerms(ce, z, flat.detach(), logZ.detach());
    }
}
