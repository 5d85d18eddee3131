using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Optimization;

/// <summary>
/// Plain SGD, the control for the output-logit mechanism: with g the gradient and decay as in AdamW,
///   independent: θ ← θ − s_t·(η·g + λ·θ)        coupled: θ ← θ − s_t·η·(g + λ·θ).
/// Cross-entropy gradients of the head rows sum to zero, so under SGD the mean head row μ cannot move.
/// </summary>
public sealed class Sgd(IReadOnlyList<ParameterGroup> groups, double weightDecay = 0, WeightDecayMode mode = WeightDecayMode.Independent) : IOptimizer
{
    public IReadOnlyList<ParameterGroup> Groups => groups;

    public Runtime.Scalars Statistics(Tensor[] updates) => new();

    /// <summary>Plain SGD keeps no state.</summary>
    public OptimizerState Save() => new([], 0);

    public void Restore(OptimizerState state) { }

    public void Step(double peakLr, double multiplier, Tensor[]? unscaledUpdates = null)
    {
        using var _ = no_grad();
        for (int i = 0; i < groups.Count; i++)
        {
            var group = groups[i];
            var g = group.Parameter.grad;
            if (g is null) continue;
            double lr = multiplier * peakLr * group.LrMultiplier;
            if (group.Decays && weightDecay != 0)
                group.Parameter.mul_(LiveScalar.Of(mode.Factor(weightDecay, multiplier, lr)));
            group.Parameter.add_(g, alpha: LiveScalar.Of(-lr));
            if (unscaledUpdates is not null) unscaledUpdates[i] = g.clone();
        }
    }


    public void Dispose() { }
}
