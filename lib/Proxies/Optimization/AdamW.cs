using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Optimization;

/// <summary>
/// AdamW written out (docs/science/model-and-training.md#adamw). With g the gradient, s_t the schedule factor, η the peak LR (times the
/// group's μParam multiplier) and bias-corrected moments:
///   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,  Δ = (m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε)
///   independent: θ ← θ − s_t·(η·Δ + λ·θ)        coupled (PyTorch's AdamW): θ ← θ − s_t·η·(Δ + λ·θ)
/// ε is a double, so values down to 1e-15 (the paper's Fig 12) are kept exactly in the fp32 update.
/// With <see cref="Atan2"/> (Adam-atan2, Everett et al. 2024) the update is Δ = a·atan2(m̂, b·√v̂) instead: no ε, and
/// the same Δ whatever the gradients' scale, since atan2(s·m̂, b·s·√v̂) = atan2(m̂, b·√v̂) for s &gt; 0.
/// </summary>
public sealed class AdamW : IOptimizer
{
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Eps { get; }
    public double WeightDecay { get; }
    public WeightDecayMode Mode { get; }
    public IReadOnlyList<ParameterGroup> Groups { get; }
    public int StepCount { get; private set; }

    /// <summary>Adam-atan2's update, Δ = a·atan2(m̂, b·√v̂), in place of m̂/(√v̂ + ε) (ε is then unused).</summary>
    public bool Atan2 { get; init; }

    /// <summary>SPAM's spike-aware clipping (Huang et al. 2025), θ; 0 is off. Before the moments see it, every gradient
    /// coordinate with g² > θ·v, v the second moment so far (not bias-corrected, as SPAM's code has it), is set to
    /// sign(g)·√(θ·v): a coordinate far outside its own history (θ = 5000: about 70 of its RMSs) enters the moments at
    /// that bound, so one spiking batch cannot blow up m and then sit in v for 1/(1−β2) steps. It acts from step
    /// <see cref="SpikeClipFrom"/>, as SPAM's code does. Where v is still 0 (a coordinate that never had a gradient)
    /// the gradient passes: SPAM's code would clamp it to 0 at every later step, and the coordinate would never learn.</summary>
    public double SpikeClip { get; init; }

    /// <summary>The first step SPAM's clip acts at (its code's grad_accu_steps): v then holds some history.</summary>
    public const int SpikeClipFrom = 20;

    /// <summary>Adam-atan2's a and b: 1.27 and 1, as the public reference code (lucidrains/adam-atan2-pytorch) sets them;
    /// a·atan2(m̂, √v̂) tends to a·m̂/√v̂ for |m̂| ≪ √v̂, and 1.27 ≈ 4/π makes a sign-like update (|m̂| = √v̂) 1.</summary>
    public const double Atan2Scale = 1.27, Atan2B = 1;
    readonly Tensor[] m, v;

    /// <summary>Adam's bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ at the current step count.</summary>
    (double First, double Second) BiasCorrections => (1 - Math.Pow(Beta1, StepCount), 1 - Math.Pow(Beta2, StepCount));

    public AdamW(IReadOnlyList<ParameterGroup> groups, double beta1 = 0.9, double beta2 = 0.95, double eps = 1e-8,
        double weightDecay = 1e-4, WeightDecayMode mode = WeightDecayMode.Independent)
    {
        (Groups, Beta1, Beta2, Eps, WeightDecay, Mode) = (groups, beta1, beta2, eps, weightDecay, mode);
        m = groups.Select(g => zeros_like(g.Parameter).DetachFromDisposeScope()).ToArray();
        v = groups.Select(g => zeros_like(g.Parameter).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>One update. <paramref name="peakLr"/> is η, <paramref name="multiplier"/> is s_t.
    /// When <paramref name="unscaledUpdates"/> is given, it receives Δ of each group (for update-RMS probes).</summary>
    public void Step(double peakLr, double multiplier, Tensor[]? unscaledUpdates = null)
    {
        StepCount++;
        var (bc1, bc2) = BiasCorrections;
        using var _ = no_grad();
        for (int i = 0; i < Groups.Count; i++)
        {
            var group = Groups[i];
            var p = group.Parameter;
            var g = p.grad;
            if (g is null) continue;
            using var scope = NewDisposeScope();
            if (SpikeClip > 0 && StepCount >= SpikeClipFrom)
            {
                var bound = (v[i] * LiveScalar.Of(SpikeClip)).sqrt_();
                // sign(g)·√(θv) where |g| > √(θv), g elsewhere; the parameter's own gradient stays as it was
                g = g.clamp(-bound, bound).where(v[i] > LiveScalar.Of(0), g);
            }
            m[i].mul_(LiveScalar.Of(Beta1)).add_(g, alpha: LiveScalar.Of(1 - Beta1));
            v[i].mul_(LiveScalar.Of(Beta2)).addcmul_(g, g, value: LiveScalar.Of(1 - Beta2));
            var delta = Atan2
                ? (m[i] / LiveScalar.Of(bc1)).atan2((v[i] / LiveScalar.Of(bc2)).sqrt_().mul_(LiveScalar.Of(Atan2B))).mul_(LiveScalar.Of(Atan2Scale))
                : (m[i] / LiveScalar.Of(bc1)).div_((v[i] / LiveScalar.Of(bc2)).sqrt_().PlusInPlace(Eps));
            double lr = multiplier * peakLr * group.LrMultiplier;
            if (group.Decays && WeightDecay != 0)
                p.mul_(LiveScalar.Of(Mode.Factor(WeightDecay, multiplier, lr)));
            p.add_(delta, alpha: LiveScalar.Of(-lr));
            if (unscaledUpdates is not null) unscaledUpdates[i] = delta.MoveToOuterDisposeScope();
        }
    }

    /// <summary>Fraction of a group's coordinates whose update ratio r = m̂/(√v̂ + ε) (the unscaled update Δ) has
    /// |r| > 0.9: near 0 while gradients are noise around a mean, near 1 when the update has become sign descent, the
    /// bimodal state that precedes Adam's loss spikes (Molybog et al. 2023).</summary>
    public static string RatioAboveName(string group) => $"adam_ratio_above_0.9/{group}";

    /// <summary>Fraction of a group's coordinates with √v̂ &lt; ε: where ε, not the gradient, sets the update's size.</summary>
    public static string BelowEpsName(string group) => $"adam_sqrt_v_below_eps/{group}";

    /// <summary>After the last <see cref="Step"/>: which of group <paramref name="i"/>'s coordinates have ever received a
    /// non-zero gradient (v > 0), and its update ratio without ε, m̂/√v̂ (NaN where v = 0). With ε, a coordinate whose
    /// √v̂ is near or below ε reads as a small ratio whatever its gradients do; without it, its ratio is what Molybog et
    /// al.'s account is about.</summary>
    public (Tensor Received, Tensor RatioWithoutEps) Ratios(int i)
    {
        var (bc1, bc2) = BiasCorrections;
        using var _ = no_grad();
        return (v[i] > LiveScalar.Of(0), (m[i] / LiveScalar.Of(bc1)).div_((v[i] / LiveScalar.Of(bc2)).sqrt_()));
    }

    public Runtime.Scalars Statistics(Tensor[] updates)
    {
        using var _ = no_grad();
        var scalars = new Runtime.Scalars();
        var (_, bc2) = BiasCorrections;
        for (int i = 0; i < Groups.Count; i++)
        {
            if (updates[i] is not { } delta) continue;
            var magnitude = delta.abs();
            scalars.Add(RatioAboveName(Groups[i].Name), (magnitude > LiveScalar.Of(0.9)).to_type(ScalarType.Float32).mean());
            scalars.Add(BelowEpsName(Groups[i].Name), ((v[i] / LiveScalar.Of(bc2)).sqrt() < LiveScalar.Of(Eps)).to_type(ScalarType.Float32).mean());
        }
        return scalars;
    }

    public OptimizerState Save() =>
        new(m.Concat(v).Select(t => t.detach().clone().DetachFromDisposeScope()).ToArray(), StepCount);

    public void Restore(OptimizerState state)
    {
        using var _ = no_grad();
        foreach (var (mine, saved) in m.Concat(v).Zip(state.Tensors)) mine.copy_(saved);
        StepCount = state.StepCount;
    }


    public void Dispose()
    {
        foreach (var t in m.Concat(v)) t.Dispose();
    }
}
