using static TorchSharp.torch;

namespace Proxies.Optimization;

/// <summary>Which optimizer trains the run: AdamW, plain SGD (a control), AdamW with Adam-atan2's ε-free update
/// (<see cref="AdamW.Atan2Scale"/>), or Muon for the hidden matrices with AdamW for the rest (<see cref="Optimization.Muon"/>).</summary>
public enum OptimizerKind { AdamW, Sgd, AdamAtan2, Muon }

/// <summary>An optimizer over parameter groups with a peak LR η scaled by the schedule factor s_t.</summary>
public interface IOptimizer : IDisposable
{
    IReadOnlyList<ParameterGroup> Groups { get; }

    /// <summary>One update; when <paramref name="unscaledUpdates"/> is given it receives each group's update
    /// before the LR (Adam's Δ, SGD's gradient).</summary>
    void Step(double peakLr, double multiplier, Tensor[]? unscaledUpdates = null);

    /// <summary>The optimizer's own per-group probes after a step, given that step's unscaled updates (AdamW: the
    /// update-ratio statistics of Molybog et al. 2023; SGD: none).</summary>
    Runtime.Scalars Statistics(Tensor[] updates);

    /// <summary>A copy of the state, outside any dispose scope (the caller disposes it).</summary>
    OptimizerState Save();

    /// <summary>Sets the state back to <paramref name="state"/> (copied in; the state stays the caller's).</summary>
    void Restore(OptimizerState state);

    /// <summary>Zeroes every group's gradient.</summary>
    void ZeroGrad()
    {
        foreach (var group in Groups) group.Parameter.grad?.zero_();
    }
}
