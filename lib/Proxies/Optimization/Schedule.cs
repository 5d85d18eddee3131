namespace Proxies.Optimization;

/// <summary>
/// Linear warm-up to the peak LR η, then cosine decay to an absolute minimum LR (docs/science/model-and-training.md#schedule).
/// Step t counts updates from 0: during warm-up lr_t = η·(t+1)/W; after it, with p = (t−W)/(T−W),
/// lr_t = min + ½(η − min)(1 + cos πp).
/// </summary>
public sealed record Schedule(double PeakLr, int WarmupSteps, int TotalSteps, double MinLr)
{
    public double LearningRate(int step)
    {
        if (step < WarmupSteps) return PeakLr * (step + 1) / WarmupSteps;
        double progress = TotalSteps == WarmupSteps ? 1 : (double)(step - WarmupSteps) / (TotalSteps - WarmupSteps);
        return MinLr + 0.5 * (PeakLr - MinLr) * (1 + Math.Cos(Math.PI * Math.Min(1, progress)));
    }

    /// <summary>s_t = lr_t / η ∈ [0, 1], the factor that also scales independent weight decay.</summary>
    public double Multiplier(int step) => LearningRate(step) / PeakLr;

    /// <summary>
    /// The total weight decay of the first <paramref name="steps"/> updates: λ·Σₜ sₜ for independent decay, η·λ·Σₜ sₜ for
    /// coupled decay (for a layer at the base LR). A matrix decays by Πₜ(1 − decayₜ) ≈ exp(−total): in the paper's 10⁵ steps
    /// λ = 10⁻⁴ independent totals about 5 (0.7% of a weight left without gradients), in 300 steps only about 0.015.
    /// </summary>
    public double TotalDecay(double lambda, WeightDecayMode mode, int steps)
    {
        double sum = 0;
        for (int t = 0; t < steps; t++) sum += Multiplier(t);
        return lambda * sum * (mode == WeightDecayMode.Coupled ? PeakLr : 1);
    }
}
