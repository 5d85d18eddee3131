using Proxies.Optimization;
using Proxies.Runtime;
using static TorchSharp.torch;

namespace Proxies.Probes;

/// <summary>
/// Per-layer RMS statistics as named scalars (nanodo's metrics as data). RMS(x) = √(mean x²).
/// All values of a step are stacked into one tensor so the host reads them in one transfer.
/// </summary>
public static class LayerStatistics
{
    public static Tensor Rms(Tensor x) => x.Squared().mean().sqrt();

    public static string GradRms(string group) => $"grad_rms/{group}";
    public static string ParamRms(string group) => $"param_rms/{group}";
    /// <summary>RMS of Δ = m̂/(√v̂ + ε), the optimizer's update before the LR (the paper's "unscaled update", Fig 13).</summary>
    public static string UpdateRms(string group) => $"update_rms/{group}";

    /// <summary>grad_rms/&lt;group&gt;, param_rms/&lt;group&gt; and update_rms/&lt;group&gt; for every parameter group.</summary>
    /// <param name="gradRms">RMS of each group's gradient, taken before clipping.</param>
    /// <param name="updates">Δ of each group (Adam's update before the LR).</param>
    public static Scalars Collect(IReadOnlyList<ParameterGroup> groups, Tensor[] gradRms, Tensor[] updates)
    {
        using var _ = no_grad();
        var scalars = new Scalars();
        for (int i = 0; i < groups.Count; i++) scalars.Add(GradRms(groups[i].Name), gradRms[i]);
        foreach (var g in groups) scalars.Add(ParamRms(g.Name), Rms(g.Parameter));
        for (int i = 0; i < groups.Count; i++) scalars.Add(UpdateRms(groups[i].Name), updates[i] is { } u ? Rms(u) : tensor(double.NaN));
        return scalars;
    }
}
