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

    /// <summary>grad_rms/&lt;group&gt;, param_rms/&lt;group&gt; and update_rms/&lt;group&gt; for every parameter group.</summary>
    /// <param name="gradRms">RMS of each group's gradient, taken before clipping.</param>
    /// <param name="updates">Δ of each group (Adam's update before the LR).</param>
    public static Scalars Collect(IReadOnlyList<ParameterGroup> groups, Tensor[] gradRms, Tensor[] updates)
    {
        using var _ = no_grad();
        var scalars = new Scalars();
        for (int i = 0; i < groups.Count; i++) scalars.Add($"grad_rms/{groups[i].Name}", gradRms[i]);
        foreach (var g in groups) scalars.Add($"param_rms/{g.Name}", Rms(g.Parameter));
        for (int i = 0; i < groups.Count; i++) scalars.Add($"update_rms/{groups[i].Name}", updates[i] is { } u ? Rms(u) : tensor(double.NaN));
        return scalars;
    }
}
