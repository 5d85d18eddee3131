using Proxies.Losses;
using Proxies.Model;
using static TorchSharp.torch;

namespace Proxies.Probes;

/// <summary>
/// Where output-logit drift lives (science.md §1.5): ‖μ‖ of the head (μ = mean head row) and of the input embedding,
/// ‖h̄‖ of the mean final hidden state, cos(μ, h̄) (the mean logit is μ·h̄), and the RMS of the final LayerNorm's gain.
/// </summary>
public static class OutputStatistics
{
    public static readonly string[] Names = { "head_mu_norm", "embed_mu_norm", "hidden_mean_norm", "cos_mu_hidden", "final_ln_gain_rms" };

    public static double MuNorm(Tensor head)
    {
        using var _ = no_grad();
        return OutputLogitFixes.Mu(head).norm().item<float>();
    }

    /// <summary>The values of <see cref="Names"/> as one tensor.</summary>
    public static Tensor Collect(Transformer model, Tensor hiddenMean)
    {
        using var _ = no_grad();
        var mu = OutputLogitFixes.Mu(model.HeadWeight);
        var cos = (mu * hiddenMean).sum() / (mu.norm() * hiddenMean.norm() + 1e-30);
        var gain = model.FinalGain is { } g ? LayerStatistics.Rms(g) : ones(1, device: mu.device).squeeze();
        return stack(new[] { mu.norm(), OutputLogitFixes.Mu(model.Embedding).norm(), hiddenMean.norm(), cos, gain });
    }
}
