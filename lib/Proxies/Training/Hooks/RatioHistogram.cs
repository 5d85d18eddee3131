using Proxies.Optimization;
using Proxies.Probes;
using Proxies.Runtime;
using static TorchSharp.torch;

namespace Proxies.Training.Hooks;

/// <summary>
/// The histogram of Adam's update ratio r = m̂/(√v̂ + ε) (the unscaled update Δ) of every parameter group, on probe
/// steps (the --ratio-histogram switch): the share of a group's coordinates in each bin of |r|. Mass near 0 while
/// Adam averages noise, near 1 when it has turned into sign descent, the bimodal state that Molybog et al. 2023 find
/// before loss spikes. Three histograms per group: over all coordinates; over those that have received a gradient
/// (an embedding row whose token never occurred has v = 0 and r = 0, diluting bin 0); and over those without ε,
/// |m̂/√v̂|, where a coordinate whose gradients are far below ε still counts by its direction.
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

    /// <summary>The same share among the coordinates that have received a non-zero gradient (v > 0).</summary>
    public static string ReceivedName(string group, int bin) => $"adam_ratio_hist_received/{group}/{bin}";

    /// <summary>The share of those coordinates whose |m̂/√v̂|, r without ε, falls in the bin.</summary>
    public static string WithoutEpsName(string group, int bin) => $"adam_ratio_hist_received_no_eps/{group}/{bin}";

    public void Probe(StepContext step, Scalars scalars) => scalars.Add(Collect(step.State.Groups, step.Updates!, step.State.Optimizer as AdamW));

    /// <summary>Each group's shares over all its coordinates, from its unscaled update (a group without one is left out),
    /// and, given Adam's state, over the coordinates that have received a gradient, with ε (from the update) and without
    /// it (from Adam's moments).</summary>
    public static Scalars Collect(IReadOnlyList<ParameterGroup> groups, Tensor?[] updates, AdamW? adam = null)
    {
        using var _ = no_grad();
        var scalars = new Scalars();
        for (int i = 0; i < groups.Count; i++)
        {
            if (updates[i] is not { } delta) continue;
            string group = groups[i].Name;
            var magnitude = delta.abs();
            Bins(scalars, b => Name(group, b), magnitude, among: null);
            if (adam is null) continue;
            var (received, withoutEps) = adam.Ratios(i);
            Bins(scalars, b => ReceivedName(group, b), magnitude, received);
            Bins(scalars, b => WithoutEpsName(group, b), withoutEps.abs(), received);
        }
        return scalars;
    }

    /// <summary>The share of <paramref name="magnitude"/>'s coordinates (of those where <paramref name="among"/> is
    /// true, when given) in each bin, counting finite values only; NaN when none is counted. One bucketize and one
    /// bincount, with the edges as a tensor, rather than a comparison per edge (each with its own Scalar,
    /// <see cref="Runtime.LiveScalar"/>).</summary>
    static void Bins(Scalars scalars, Func<int, string> name, Tensor magnitude, Tensor? among)
    {
        using var edges = tensor(BinEdges[..^1], dtype: magnitude.dtype, device: magnitude.device);
        var bin = bucketize(magnitude.flatten(), edges, right: true);   // b: edges[b−1] ≤ |r| < edges[b]
        var counted = among is null ? magnitude.isfinite() : magnitude.isfinite() & among;
        bin = bin.masked_select(counted.flatten());
        var counts = bincount(bin, minlength: BinEdges.Length).to_type(ScalarType.Float64);
        var shares = counts / counts.sum();
        for (int b = 0; b < BinEdges.Length; b++) scalars.Add(name(b), shares[b]);
    }
}
