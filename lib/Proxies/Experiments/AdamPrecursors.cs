using Proxies.Optimization;
using Proxies.Probes;
using Proxies.Training;
using Proxies.Training.Hooks;

namespace Proxies.Experiments;

/// <summary>A probed quantity read at spike onsets: its name, a key for claim ids, and its series (step, value) from a
/// run's curve.</summary>
/// <param name="Log">Compared as log₁₀(before/baseline) (a norm, which scales), else as before − baseline (a share).</param>
public sealed record Precursor(string Name, string Key, Func<Curve, RunResult, IReadOnlyList<(double Step, double Value)>> Series, bool Log);

/// <summary>
/// Molybog et al. 2023's precursors of a loss spike, read at each spike episode's onset against a phase-matched baseline
/// (<see cref="SpikeOnset"/>), in two settings. <b>Early</b>: notebook 10's spiking run (the ladder's largest size at its
/// top LR with a 1% warm-up), which spikes in its first third while the loss is high: outside their regime, kept as a
/// contrast. <b>Late</b>: their regime, as near as 2 cores reach it: a long run at a constant LR after warm-up, with
/// β2 0.999 (v̂ remembers ~1,000 steps, so a gradient that grows after a quiet stretch meets a small √v̂) and ε 10⁻¹²
/// (so that small gradients are not held down by ε), in which gradients become small as the loss flattens. Both probe
/// the |r| histograms (over every coordinate, over those that have received a gradient, and without ε) and the sign
/// agreement of successive gradients.
/// </summary>
public static class AdamPrecursors
{
    public const string Early = "early spikes", Late = "long constant LR";

    public static readonly int[] LateSeeds = [0, 1, 2];

    public static TrainConfig EarlySetting(Profile profile) => AdamInstability.Spiking(profile) with { SignAgreement = true, Variant = Early };

    public static TrainConfig LateSetting(Profile profile)
    {
        var ladder = Ladder.For(profile);
        // Quick: d64×2 for 6,000 steps (12.3M tokens, ~125 per non-embedding parameter, 2.2 passes over the corpus),
        // probed every 5th step: every step's histograms would make a 40 MB curve. LR 0.1: the largest of the grid whose
        // 300-step loss at this size is within 0.1 nats of the best (notebook 03's runs: 2.16–2.18 against 2.09–2.10),
        // the side of the stable range where spikes are likeliest; 0.03 with β2 0.999 did not spike in 1,500 steps.
        (int steps, int probeEvery) = profile switch { Profile.Smoke => (80, 2), Profile.Quick => (6_000, 5), _ => (100_000, 50) };
        var config = ladder.Base(ladder.Sizes[1], 0.1);
        return config with
        {
            Steps = steps, WarmupSteps = Math.Max(1, steps / 100), MinLr = config.Lr, Beta2 = 0.999, Eps = 1e-12,
            ProbeEvery = probeEvery, RatioHistogram = true, SignAgreement = true, Variant = Late,
        };
    }

    public static IReadOnlyList<TrainConfig> Runs(Profile profile) =>
    [
        .. AdamInstability.Seeds.Select(seed => EarlySetting(profile) with { Seed = seed }),
        .. LateSeeds.Select(seed => LateSetting(profile) with { Seed = seed }),
    ];

    /// <summary>The share of a group's coordinates that have received a gradient whose |r| (with ε, or without it) is at
    /// least 0.9: the top two bins of <see cref="RatioHistogram.BinEdges"/>, Molybog et al.'s bimodal mass.</summary>
    public static IReadOnlyList<(double Step, double Value)> NearOne(Curve curve, string group, bool withoutEps)
    {
        Func<string, int, string> name = withoutEps ? RatioHistogram.WithoutEpsName : RatioHistogram.ReceivedName;
        int top = RatioHistogram.BinEdges.Length - 1;
        return curve.FinitePoints(name(group, top - 1)).Zip(curve.FinitePoints(name(group, top)), (a, b) => (a.Step, a.Value + b.Value)).ToList();
    }

    /// <summary>The quantities the onset table reads: the global gradient norm, the embedding's gradient norm over block
    /// 0's first MLP layer's (GLM-130B's observation), and for the embedding and block 0's first MLP layer the share of
    /// received coordinates with |r| ≥ 0.9 and the sign agreement of successive gradients.</summary>
    public static IReadOnlyList<Precursor> Precursors { get; } =
    [
        new("gradient norm", "grad-norm", (curve, _) => curve.FinitePoints(GradientClipping.GradNorm).ToList(), Log: true),
        new("embedding / block 0 gradient norm", "embed-over-block-0", (curve, run) =>
        {
            string block = AdamEpsilon.BlockMlp(0);
            var sizes = AdamInstability.GroupSizes(run);
            return AdamInstability.GradNorm(curve, "embed", sizes["embed"]).Zip(AdamInstability.GradNorm(curve, block, sizes[block]),
                (e, b) => (e.Step, e.Value / b.Value)).ToList();
        }, Log: true),
        .. new[] { "embed", AdamEpsilon.BlockMlp(0) }.SelectMany(group => new Precursor[]
        {
            new($"|r| ≥ 0.9, {group}", $"near-one.{group}", (curve, _) => NearOne(curve, group, withoutEps: false), Log: false),
            new($"sign agreement, {group}", $"sign-agreement.{group}", (curve, _) => curve.FinitePoints(SignAgreement.Name(group)).ToList(), Log: false),
        }),
    ];

    /// <summary>Before against baseline: log₁₀ of their ratio for a norm, their difference for a share.</summary>
    public static double Rise(Precursor precursor, SpikeOnset onset) =>
        precursor.Log ? Math.Log10(onset.Before / onset.Baseline) : onset.Before - onset.Baseline;

    /// <summary>Each episode of <paramref name="summary"/>'s run with every precursor read at its onset: the window is 5
    /// probes before the onset and the baseline the quiet probes within 45 of it (steps on a run probed every step).</summary>
    public static IReadOnlyList<(SpikeEpisode Episode, IReadOnlyList<SpikeOnset> Onsets)> Onsets(SpikeSummary summary, Curve curve)
    {
        int every = summary.Run.Config.ProbeEvery;
        var perPrecursor = Precursors.Select(p => SpikeOnset.Read(summary.Episodes, p.Series(curve, summary.Run), window: 5 * every, phase: 45 * every)).ToList();
        return summary.Episodes.Select((e, i) => (e, (IReadOnlyList<SpikeOnset>)perPrecursor.Select(rows => rows[i]).ToList())).ToList();
    }
}
