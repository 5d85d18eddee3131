using Proxies.Optimization;
using Proxies.Probes;
using Proxies.Runtime;
using static TorchSharp.torch;

namespace Proxies.Training.Hooks;

/// <summary>
/// The histogram of Adam's update ratio r = m̂/(√v̂ + ε) (the unscaled update Δ) of every parameter group, on probe
/// steps (the --ratio-histogram switch): the share of a group's coordinates in each bin of |r|. Mass near 0 while
/// Adam averages noise, near 1 when it has turned into sign descent, the bimodal state that Molybog et al. 2023 find
/// before loss spikes.
/// </summary>
public sealed class RatioHistogram : ITrainingHook
{
    /// <summary>The hook when the run asks for it and trains with AdamW (r is Adam's ratio; SGD has none).</summary>
    public static RatioHistogram? For(TrainConfig config) =>
        config.RatioHistogram && config.Optimizer == OptimizerKind.AdamW ? new RatioHistogram() : null;

    /// <summary>Upper edges of the |r| histogram's bins: [0, 0.1), [0.1, 0.2) … [0.9, 1.0), and [1.0, ∞) last.</summary>
    public static readonly double[] BinEdges = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, double.PositiveInfinity];

    /// <summary>Share of a group's coordinates whose |r| falls in bin <paramref name="bin"/> of <see cref="BinEdges"/>.</summary>
    public static string Name(string group, int bin) => $"adam_ratio_hist/{group}/{bin}";

    public void Probe(StepContext step, Scalars scalars) => scalars.Add(Collect(step.State.Groups, step.Updates!));

    /// <summary>Each group's shares, from its unscaled update (a group without one is left out).</summary>
    public static Scalars Collect(IReadOnlyList<ParameterGroup> groups, Tensor?[] updates)
    {
        using var _ = no_grad();
        var scalars = new Scalars();
        for (int i = 0; i < groups.Count; i++)
        {
            if (updates[i] is not { } delta) continue;
            var magnitude = delta.abs();
            double lower = 0;
            for (int b = 0; b < BinEdges.Length; b++)
            {
                scalars.Add(Name(groups[i].Name, b), ((magnitude >= lower) & (magnitude < BinEdges[b])).to_type(ScalarType.Float32).mean());
                lower = BinEdges[b];
            }
        }
        return scalars;
    }
}
