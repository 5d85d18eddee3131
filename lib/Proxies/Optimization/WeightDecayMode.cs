namespace Proxies.Optimization;

/// <summary>How weight decay enters the update (docs/science/model-and-training.md#adamw).</summary>
public enum WeightDecayMode { Independent, Coupled }

public static class WeightDecayModes
{
    /// <summary>What a decaying weight is multiplied by before the step's update, θ ← factor·θ: independent
    /// 1 − s_t·λ, coupled (PyTorch's AdamW) 1 − s_t·η·λ, with <paramref name="multiplier"/> = s_t and
    /// <paramref name="lr"/> = s_t·η (times the group's μParam multiplier). Every optimizer decays through it.</summary>
    public static double Factor(this WeightDecayMode mode, double lambda, double multiplier, double lr) =>
        1 - (mode == WeightDecayMode.Independent ? multiplier * lambda : lr * lambda);
}
