using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Optimization;

/// <summary>
/// Muon (Jordan et al. 2024), with the update scale of Moonlight and Kimi K2 (Liu et al. 2025), for the hidden weight
/// matrices; every other group (embedding, head, LayerNorm gains) stays on AdamW, as those papers do. For a matrix W
/// (m × n) with gradient g:
///   M ← β·M + (1−β)·g,   U = (1−β)·g + β·M (Nesterov),   Δ = 0.2·√max(m, n) · NS(U)
///   θ ← θ − s_t·η·Δ, with weight decay as AdamW's (<see cref="WeightDecayMode"/>).
/// NS is <see cref="NewtonSchulz.Orthogonalise"/>; an orthogonal m × n matrix has RMS 1/√max(m, n), so Δ has RMS about
/// 0.2, the RMS of AdamW's update in training, and the AdamW LR grid applies unchanged (Moonlight's point). A group that
/// stacks several matrices (the block's q, k and v projections, <see cref="ParameterGroup.Stacked"/>) is orthogonalised
/// one matrix at a time, as if they were separate layers, which is how Moonlight and Kimi K2 hold them.
/// </summary>
public sealed class Muon : IOptimizer
{
    /// <summary>Muon's momentum β (Jordan et al.; Kimi K2 uses the same).</summary>
    public const double Momentum = 0.95;
    /// <summary>The RMS Δ is scaled to (Moonlight: "match AdamW's update RMS, typically 0.2 to 0.4").</summary>
    public const double UpdateRms = 0.2;

    public IReadOnlyList<ParameterGroup> Groups { get; }
    readonly AdamW adam;
    readonly int[] adamOf;                    // adam's k-th group is Groups[adamOf[k]]
    readonly Tensor?[] momentum;              // per group, null for an AdamW group
    readonly double weightDecay;
    readonly WeightDecayMode mode;

    /// <summary>Hidden matrices (<see cref="Model.ParameterKind.Linear"/>) go to Muon; the rest to an AdamW with the
    /// given β1, β2, ε.</summary>
    public Muon(IReadOnlyList<ParameterGroup> groups, double beta1 = 0.9, double beta2 = 0.95, double eps = 1e-8,
        double weightDecay = 1e-4, WeightDecayMode mode = WeightDecayMode.Independent)
    {
        (Groups, this.weightDecay, this.mode) = (groups, weightDecay, mode);
        var adamGroups = groups.Where(g => !OnMuon(g)).ToList();
        adam = new AdamW(adamGroups, beta1, beta2, eps, weightDecay, mode);
        adamOf = Enumerable.Range(0, groups.Count).Where(i => !OnMuon(groups[i])).ToArray();
        momentum = groups.Select(g => OnMuon(g) ? zeros_like(g.Parameter).DetachFromDisposeScope() : null).ToArray();
    }

    /// <summary>Whether Muon, not AdamW, updates <paramref name="group"/>: the 2-D hidden weights.</summary>
    public static bool OnMuon(ParameterGroup group) => group.Kind == Model.ParameterKind.Linear && group.Parameter.dim() == 2;

    /// <summary>Δ for one matrix of momentum-smoothed gradient <paramref name="u"/>: 0.2·√max(m, n)·NS(u).</summary>
    public static Tensor Update(Tensor u) => NewtonSchulz.Orthogonalise(u).mul_(LiveScalar.Of(UpdateRms * Math.Sqrt(Math.Max(u.shape[0], u.shape[1]))));

    public void Step(double peakLr, double multiplier, Tensor[]? unscaledUpdates = null)
    {
        Tensor[]? adamUpdates = unscaledUpdates is null ? null : new Tensor[adam.Groups.Count];
        adam.Step(peakLr, multiplier, adamUpdates);
        if (adamUpdates is not null)
            for (int k = 0; k < adamOf.Length; k++) unscaledUpdates![adamOf[k]] = adamUpdates[k];
        using var _ = no_grad();
        for (int i = 0; i < Groups.Count; i++)
        {
            var group = Groups[i];
            var p = group.Parameter;
            if (momentum[i] is null || p.grad is not { } g) continue;
            using var scope = NewDisposeScope();
            var m = momentum[i]!;
            m.mul_(LiveScalar.Of(Momentum)).add_(g, alpha: LiveScalar.Of(1 - Momentum));
            var u = (g * LiveScalar.Of(1 - Momentum)).Plus(m * LiveScalar.Of(Momentum));
            var delta = cat(u.chunk(group.Stacked, 0).Select(Update).ToArray(), 0);
            double lr = multiplier * peakLr * group.LrMultiplier;
            if (group.Decays && weightDecay != 0)
                p.mul_(LiveScalar.Of(mode.Factor(weightDecay, multiplier, lr)));
            p.add_(delta, alpha: LiveScalar.Of(-lr));
            if (unscaledUpdates is not null) unscaledUpdates[i] = delta.MoveToOuterDisposeScope();
        }
    }

    /// <summary>AdamW's update-ratio statistics for the groups it updates; Muon's groups have no ratio.</summary>
    public Runtime.Scalars Statistics(Tensor[] updates) => adam.Statistics(adamOf.Select(i => updates[i]).ToArray());

    public OptimizerState Save()
    {
        var adamState = adam.Save();
        var tensors = adamState.Tensors.Concat(momentum.OfType<Tensor>().Select(t => t.detach().clone().DetachFromDisposeScope())).ToArray();
        return new OptimizerState(tensors, adamState.StepCount);
    }

    public void Restore(OptimizerState state)
    {
        int adamCount = state.Tensors.Length - momentum.Count(t => t is not null);
        adam.Restore(new OptimizerState(state.Tensors[..adamCount], state.StepCount));
        using var _ = no_grad();
        foreach (var (mine, saved) in momentum.OfType<Tensor>().Zip(state.Tensors[adamCount..])) mine.copy_(saved);
    }


    public void Dispose()
    {
        adam.Dispose();
        foreach (var t in momentum) t?.Dispose();
    }
}
