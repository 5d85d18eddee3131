using Proxies.Optimization;
using static TorchSharp.torch;

namespace Proxies.Probes;

/// <summary>
/// Per-layer RMS statistics as named scalars (nanodo's metrics as data). RMS(x) = √(mean x²).
/// All values of a step are stacked into one tensor so the host reads them in one transfer.
/// </summary>
public static class LayerStatistics
{
    public static Tensor Rms(Tensor x) => x.square().mean().sqrt();

    /// <summary>Column names, in the order of <see cref="Collect"/>'s values: grad_rms/…, param_rms/…, update_rms/….</summary>
    public static IEnumerable<string> Names(IReadOnlyList<ParameterGroup> groups) =>
        new[] { "grad_rms", "param_rms", "update_rms" }.SelectMany(kind => groups.Select(g => $"{kind}/{g.Name}"));

    /// <param name="gradRms">RMS of each group's gradient, taken before clipping.</param>
    /// <param name="updates">Δ of each group (Adam's update before the LR).</param>
    public static Tensor Collect(IReadOnlyList<ParameterGroup> groups, Tensor[] gradRms, Tensor[] updates)
    {
        using var _ = no_grad();
        var parameters = groups.Select(g => Rms(g.Parameter));
        var deltas = updates.Select(u => u is null ? tensor(float.NaN) : Rms(u));
        return stack(gradRms.Concat(parameters).Concat(deltas).ToArray());
    }
}
