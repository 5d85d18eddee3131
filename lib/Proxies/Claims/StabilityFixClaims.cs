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

    static Claim LowersSensitivity(string id, Variant fix, Variant against, string says) => new($"12.{id}", Experiment, says,
        $"LR sensitivity of {against.Label} − of {fix.Label}, largest width, nats", Direction.Positive, Unit.Nats,
        s => s.Sensitivity(against.Label, Largest(s)) - s.Sensitivity(fix.Label, Largest(s)));

    static Claim FewerEpisodes(string id, Variant fix, string says) => new($"12.{id}", Experiment, says,
        $"spike episodes of {StabilityFixes.Spiking.Label} − of {fix.Label} (notebook 10's setting)", Direction.Positive, Unit.Episodes,
        s => s.SpikeEpisodes(StabilityFixes.Spiking.Label) - s.SpikeEpisodes(fix.Label));

    public static IReadOnlyList<Claim> All { get; } =
    [
        new("12.muon-logits-grow-faster", Experiment,
            "Under Muon the max attention logit grows faster than under AdamW (Kimi K2), here without qk-layernorm.",
            "log10 of the largest attention logit over training, Muon − AdamW, no qk-LN, largest width, mean over the LR grid",
            Direction.Positive, Unit.Decades,
            s => s.Arm(StabilityFixes.Muon.Label, Largest(s)) is { } arm && s.Arm(NoQkLn, Largest(s)) is not null
                ? arm.Select(r => LogMax(s, StabilityFixes.Muon, r.Config.Lr) - LogMax(s, StabilityFixes.AdamWNoQkLn, r.Config.Lr)).Average()
                : null),
        new("12.qk-clip-bounds-muon-logits", Experiment,
            "QK-Clip keeps Muon's attention logits bounded (Kimi K2's MuonClip).",
            "log10 of the largest attention logit over training, Muon − Muon + QK-Clip, largest width, top LR",
            Direction.Positive, Unit.Decades,
            s => LogMax(s, StabilityFixes.Muon, TopLr(s)) - LogMax(s, StabilityFixes.MuonClip, TopLr(s))),
        LowersSensitivity("qk-clip-lowers-muon-sensitivity", StabilityFixes.MuonClip, StabilityFixes.Muon,
            "Bounding the logits with QK-Clip costs nothing and removes Muon's logit instability (Kimi K2): it lowers LR sensitivity."),
        LowersSensitivity("qk-clip-lowers-sensitivity", StabilityFixes.AdamWClip, StabilityFixes.AdamWNoQkLn,
            "QK-Clip stands in for qk-layernorm under AdamW too (Megatron-LM, torchtitan, MaxText ship it): it lowers LR sensitivity without qk-LN."),
        LowersSensitivity("soft-cap-lowers-sensitivity", StabilityFixes.SoftCap, StabilityFixes.AdamWNoQkLn,
            "Attention-logit soft-capping (Gemma 2) lowers LR sensitivity without qk-layernorm."),
        new("12.soft-cap-logits-grow-underneath", Experiment,
            "Under the soft-cap the raw attention logits keep growing (write-ups of Kimi K2).",
            $"log10 of (the largest pre-cap attention logit over training / the cap {StabilityFixes.AttentionCap:G}), largest width, top LR",
            Direction.Positive, Unit.Decades,
            s => LogMax(s, StabilityFixes.SoftCap, TopLr(s)) - Math.Log10(StabilityFixes.AttentionCap)),
        LowersSensitivity("atan2-lowers-sensitivity", StabilityFixes.Atan2, StabilityFixes.AdamW,
            "Adam-atan2 removes ε without loss (Everett et al. 2024): its LR sensitivity is no higher than AdamW's with ε 1e-8."),
        FewerEpisodes("update-clipping-fewer-spikes", StabilityFixes.UpdateClip,
            "Clipping the update norm at 2σ over the last 128 steps removes loss spikes (Marin 32B)."),
        FewerEpisodes("spam-fewer-spikes", StabilityFixes.Spam,
            "SPAM's spike-aware clipping of gradient coordinates against the second moment removes loss spikes (Huang et al. 2025)."),
    ];
}

/// <summary>One fix against the AdamW + qk-ln baseline at one width: LR sensitivity of the fix − of the baseline, per
/// seed and as a 95% t interval of the mean over seeds (arms paired by seed), and what the interval says.</summary>
public sealed record FixAgainstBaseline(string Fix, int Width, IReadOnlyList<double> PerSeed, double Mean, double Low, double High)
{
    /// <summary>"lower" or "higher" than the baseline when the interval excludes zero, "inside the noise" when it holds
    /// it, "one seed" when there is no interval.</summary>
    public string Reading => PerSeed.Count < 2 ? "one seed" : High < 0 ? "lower" : Low > 0 ? "higher" : "inside the noise";

    /// <summary>Every ladder arm but the baseline, at every width the baseline has, from <paramref name="runs"/>.</summary>
    public static IReadOnlyList<FixAgainstBaseline> Of(IReadOnlyList<RunResult> runs, Profile profile)
    {
        string baseline = StabilityFixes.AdamW.Label;
        var seeds = runs.Select(r => r.Config.Seed).Distinct().Order().Select(seed => new SeedRuns(seed, runs, profile)).ToList();
        var widths = seeds.Count == 0 ? [] : seeds[0].Widths(baseline);
        return StabilityFixes.LadderArms.Skip(1).SelectMany(fix => widths.Select(w =>
        {
            var values = seeds.Select(s => s.Sensitivity(fix.Label, w) - s.Sensitivity(baseline, w)).OfType<double>().ToList();
            var (mean, low, high) = values.Count >= 2 ? StudentT.Interval(values)
                : (values.Count == 1 ? values[0] : double.NaN, double.NaN, double.NaN);
            return new FixAgainstBaseline(fix.Label, w, values, mean, low, high);
        })).ToList();
    }
}
