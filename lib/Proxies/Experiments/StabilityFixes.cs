using Proxies.Optimization;
using Proxies.Training;

namespace Proxies.Experiments;

/// <summary>
/// The stability fixes of 2024–26 beside the paper's own, on the profile's ladder (docs/science/stability-fixes.md). Every
/// ladder arm runs the paper's recipe (z-loss 1e-4, independent decay 1e-4, clipping at 1) at every size and LR of the
/// ladder on <see cref="Seeds"/> and changes one or two things; the two spike fixes run on notebook 10's spiking setting
/// with its four seeds. The AdamW arms with and without qk-layernorm are other experiments' runs too (same run ids: a
/// sweep copies them).
/// </summary>
public static class StabilityFixes
{
    /// <summary>QK-Clip's τ: Kimi K2's 100.</summary>
    public const double QkClipTau = 100;
    /// <summary>Gemma 2's attention-logit cap c.</summary>
    public const double AttentionCap = 50;
    /// <summary>Marin's update-clipping bound: mean + 2σ of the update norm over the last 128 steps.</summary>
    public const double UpdateClipSigmas = 2;
    /// <summary>SPAM's spike threshold θ (its paper's default).</summary>
    public const double SpamTheta = 5000;

    /// <summary>Two seeds, paired across arms (what the budget allowed: docs/science/stability-fixes.md#the-sweep).</summary>
    public static readonly int[] Seeds = [0, 1];

    static Variant Arm(string label, bool qkLn, Func<TrainConfig, TrainConfig> change) =>
        new(label, c => change(c with { Model = c.Model with { QkLayerNorm = qkLn } }));

    /// <summary>The baseline every fix is read against: the paper's recipe, AdamW with qk-layernorm.</summary>
    public static readonly Variant AdamW = Arm("AdamW + qk-ln", true, c => c);
    public static readonly Variant AdamWNoQkLn = Arm("AdamW", false, c => c);
    public static readonly Variant Muon = Arm("Muon", false, c => c with { Optimizer = OptimizerKind.Muon });
    public static readonly Variant MuonClip = Arm("Muon + QK-Clip", false, c => c with { Optimizer = OptimizerKind.Muon, QkClip = QkClipTau });
    public static readonly Variant AdamWClip = Arm("AdamW + QK-Clip", false, c => c with { QkClip = QkClipTau });
    public static readonly Variant SoftCap = Arm("AdamW + soft-cap", false, c => c with { Model = c.Model with { AttentionSoftcap = AttentionCap } });
    public static readonly Variant Atan2 = Arm("Adam-atan2 + qk-ln", true, c => c with { Optimizer = OptimizerKind.AdamAtan2 });

    /// <summary>The ladder's arms, the baseline first.</summary>
    public static readonly IReadOnlyList<Variant> LadderArms = [AdamW, AdamWNoQkLn, Muon, MuonClip, AdamWClip, SoftCap, Atan2];

    /// <summary>Notebook 10's spiking run (<see cref="AdamInstability.Spiking"/>, the same run ids) and its two 2026 fixes.</summary>
    public static readonly Variant Spiking = new("spiking", c => c);
    public static readonly Variant UpdateClip = new("update clipping", c => c with { UpdateClip = UpdateClipSigmas });
    public static readonly Variant Spam = new("SPAM clip", c => c with { SpikeClip = SpamTheta });
    public static readonly IReadOnlyList<Variant> SpikeArms = [Spiking, UpdateClip, Spam];

    public static IReadOnlyList<TrainConfig> Runs(Profile profile)
    {
        var ladder = Ladder.For(profile).Grid().SelectMany(c => Seeds.Select(seed => c with { Seed = seed })).ToList();
        var spiking = AdamInstability.Spiking(profile);
        return LadderArms.SelectMany(arm => ladder.Select(arm.Of))
            .Concat(SpikeArms.SelectMany(arm => AdamInstability.Seeds.Select(seed => arm.Of(spiking with { Seed = seed }))))
            .ToList();
    }
}
