using Proxies.Experiments;
using Proxies.Training;

namespace Proxies.Claims;

/// <summary>Notebook 12: the 2024–26 stability fixes' claims, on the ladder (largest size, paired by seed) and on notebook
/// 10's spiking setting.</summary>
public static class StabilityFixClaims
{
    const string Experiment = "stability-fixes";
    static readonly string Baseline = StabilityFixes.AdamW.Label, NoQkLn = StabilityFixes.AdamWNoQkLn.Label;

    static int Largest(SeedRuns s) => s.Widths(Baseline)[^1];
    static double TopLr(SeedRuns s) => s.AllSeeds.Where(r => r.Config.Variant == Baseline).Max(r => r.Config.Lr);

    static double? LogMax(SeedRuns s, Variant v, double lr) => s.LogMaxLogit(v.Label, Largest(s), lr);

    static Claim LowersSensitivity(string id, Variant fix, Variant against, string says) => LowersSensitivityAt(id, fix, against, says, null);

    /// <summary>LR sensitivity of <paramref name="against"/> − of <paramref name="fix"/> at one width (the largest when
    /// null): positive when the fix lowers it.</summary>
    static Claim LowersSensitivityAt(string id, Variant fix, Variant against, string says, int? width) => new($"12.{id}", Experiment, says,
        $"LR sensitivity of {against.Label} − of {fix.Label}, {(width is { } w ? $"width {w}" : "largest width")}, nats", Direction.Positive, Unit.Nats,
        s => s.Sensitivity(against.Label, width ?? Largest(s)) - s.Sensitivity(fix.Label, width ?? Largest(s)));

    /// <summary>Every ladder arm against the AdamW + qk-ln baseline at every width the baseline has in
    /// <paramref name="runs"/>, judged as claims are (positive: the fix has the lower LR sensitivity), for the notebook's
    /// size-by-size table. Not part of <see cref="All"/>: no paper claims these.</summary>
    public static IReadOnlyList<(string Fix, int Width, ClaimResult Result)> AgainstBaselineBySize(IReadOnlyList<RunResult> runs, Profile profile)
    {
        var widths = runs.Where(r => r.Config.Variant == Baseline).Select(r => r.Config.Model.Width).Distinct().Order().ToList();
        return StabilityFixes.LadderArms.Skip(1).SelectMany(fix => widths.Select(w => (fix.Label, w,
            LowersSensitivityAt($"{fix.Label}-d{w}", fix, StabilityFixes.AdamW, $"{fix.Label} against {Baseline} at width {w}", w)
                .Judge(runs, null, profile)))).ToList();
    }

    static Claim FewerEpisodes(string id, Variant fix, string says) => new($"12.{id}", Experiment, says,
        $"spike episodes of {StabilityFixes.Spiking.Label} − of {fix.Label} (notebook 10's setting; a divergence is one episode)", Direction.Positive, Unit.Episodes,
        s => s.SpikeEpisodes(StabilityFixes.Spiking.Label) - s.SpikeEpisodes(fix.Label));

    public static IReadOnlyList<Claim> All { get; } =
    [
        new("12.muon-logits-grow-faster", Experiment,
            "Under Muon the max attention logit grows faster than under AdamW (Kimi K2); here without qk-layernorm, as the largest logit reached in the run.",
            "log10 of the largest attention logit over training, Muon − AdamW, no qk-LN, largest width, mean over the LR grid",
            Direction.Positive, Unit.Decades,
            s => s.Arm(StabilityFixes.Muon.Label, Largest(s)) is { } arm && s.Arm(NoQkLn, Largest(s)) is not null
                && arm.Select(r => LogMax(s, StabilityFixes.Muon, r.Config.Lr) - LogMax(s, StabilityFixes.AdamWNoQkLn, r.Config.Lr)).ToList() is var d
                && d.All(x => x is not null) ? d.Average(x => x!.Value) : null),
        new("12.qk-clip-lowers-muon-logits", Experiment,
            "QK-Clip holds Muon's max attention logit down (Kimi K2's MuonClip).",
            "log10 of the largest attention logit over training, Muon − Muon + QK-Clip, largest width, top LR",
            Direction.Positive, Unit.Decades,
            s => LogMax(s, StabilityFixes.Muon, TopLr(s)) - LogMax(s, StabilityFixes.MuonClip, TopLr(s))),
        new("12.qk-clip-caps-at-tau", Experiment,
            $"Under QK-Clip no head's max logit passes τ = {StabilityFixes.QkClipTau:G} (Kimi K2: S_max is capped at τ).",
            "log10 τ − log10 of the largest attention logit over training of Muon + QK-Clip (read on each step's batch before its update), largest width, top LR",
            Direction.Positive, Unit.Decades,
            s => Math.Log10(StabilityFixes.QkClipTau) - LogMax(s, StabilityFixes.MuonClip, TopLr(s))),
        LowersSensitivity("qk-clip-lowers-muon-sensitivity", StabilityFixes.MuonClip, StabilityFixes.Muon,
            "QK-Clip removes Muon's attention-logit instability (Kimi K2): it lowers LR sensitivity."),
        LowersSensitivity("qk-clip-lowers-sensitivity", StabilityFixes.AdamWClip, StabilityFixes.AdamWNoQkLn,
            "The same clip under AdamW, without qk-layernorm, lowers LR sensitivity."),
        LowersSensitivity("soft-cap-lowers-sensitivity", StabilityFixes.SoftCap, StabilityFixes.AdamWNoQkLn,
            "Attention-logit soft-capping (Gemma 2) lowers LR sensitivity without qk-layernorm."),
        new("12.soft-cap-logits-pass-the-cap", Experiment,
            "Under the soft-cap the raw attention logits grow past the cap (write-ups of Kimi K2: they keep growing underneath it).",
            $"log10 of (the largest pre-cap attention logit over training / the cap {StabilityFixes.AttentionCap:G}), largest width, top LR",
            Direction.Positive, Unit.Decades,
            s => LogMax(s, StabilityFixes.SoftCap, TopLr(s)) - Math.Log10(StabilityFixes.AttentionCap)),
        LowersSensitivity("atan2-lowers-sensitivity", StabilityFixes.Atan2, StabilityFixes.AdamW,
            "Adam-atan2 (Everett et al. 2024) trains as well as AdamW without an ε; tested as a lower LR sensitivity than AdamW's with ε 1e-8 (no difference reads as inside the noise)."),
        FewerEpisodes("update-clipping-fewer-spikes", StabilityFixes.UpdateClip,
            "Clipping the update norm at 2σ over the last 128 steps reduces loss spikes (Marin 32B)."),
        FewerEpisodes("spam-fewer-spikes", StabilityFixes.Spam,
            "SPAM's spike-aware clipping of gradient coordinates against the second moment reduces loss spikes (Huang et al. 2025)."),
    ];
}
