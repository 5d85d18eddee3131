using Proxies.Losses;
using Proxies.Model;
using Proxies.Runtime;
using static TorchSharp.torch;

namespace Proxies.Probes;

/// <summary>
/// Where output-logit drift lives (docs/science/output-logit-divergence.md): ‖μ‖ of the head (μ = mean head row) and of the input embedding,
/// ‖h̄‖ of the mean final hidden state, cos(μ, h̄) (the mean logit is μ·h̄), and the RMS of the final LayerNorm's gain.
/// </summary>
public static class OutputStatistics
{
    public static double MuNorm(Tensor head)
    {
        using var _ = no_grad();
        return OutputLogitFixes.Mu(head).norm().item<float>();
    }

    /// <summary>head_mu_norm ‖μ‖ of the head, embed_mu_norm ‖μ‖ of the input embedding, hidden_mean_norm ‖h̄‖,
    /// cos_mu_hidden cos(μ, h̄), and final_ln_gain_rms, the RMS of the final LayerNorm's gain (1 when it is fixed).</summary>
    public static Scalars Collect(Transformer model, Tensor hiddenMean)
    {
        using var _ = no_grad();
        var mu = OutputLogitFixes.Mu(model.HeadWeight);
        var cos = (mu * hiddenMean).sum() / (mu.norm() * hiddenMean.norm()).Plus(1e-30);
        var gain = model.FinalGain is { } g ? LayerStatistics.Rms(g) : ones(1, device: mu.device).squeeze();
        return new Scalars()
            .Add(HeadMuNorm, mu.norm())
            .Add(EmbedMuNorm, OutputLogitFixes.Mu(model.Embedding).norm())
            .Add(HiddenMeanNorm, hiddenMean.norm())
            .Add("cos_mu_hidden", cos)
            .Add(FinalLnGainRms, gain);
    }

    /// <summary>The name of ‖μ‖ of the head, also measured at initialisation.</summary>
    public const string HeadMuNorm = "head_mu_norm";

    public const string EmbedMuNorm = "embed_mu_norm", HiddenMeanNorm = "hidden_mean_norm", FinalLnGainRms = "final_ln_gain_rms";
}
