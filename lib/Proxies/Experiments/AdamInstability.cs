using Proxies.Model;
using Proxies.Optimization;
using Proxies.Probes;
using Proxies.Results;
using Proxies.Training;
using static TorchSharp.torch;

namespace Proxies.Experiments;

/// <summary>What one run of the Adam-instability study did with its loss spikes.</summary>
/// <param name="Spikes">Steps of the training loss (the rows a restart did not undo) that <see cref="SpikeDetector"/> flags at <see cref="AdamInstability.SpikeFactor"/>.</param>
/// <param name="MaxLossOverAverage">The largest training loss over the moving average before it, after the detector settled.</param>
/// <param name="Restarts">Spikes that skip-and-restart undid.</param>
/// <param name="Episodes">The flagged steps as events: consecutive flagged steps are one episode (<see cref="SpikeEpisode"/>).</param>
public sealed record SpikeSummary(RunResult Run, IReadOnlyList<int> Spikes, double MaxLossOverAverage, int Restarts, IReadOnlyList<SpikeEpisode> Episodes);

/// <summary>
/// Molybog et al. 2023: loss spikes, what Adam's per-coordinate ratio r = m̂/(√v̂ + ε) does before them, and four
/// mitigations. One setting that spikes on a CPU: the ladder's largest size at its top LR with a 1% warm-up (a
/// committed warm-up run of this recipe spiked to 1.2× its moving average). Every variant changes one thing, run with
/// four seeds; every step is probed, with the histogram of |r|, so the detector sees every step's loss.
/// </summary>
public static class AdamInstability
{
    /// <summary>A loss above this many times its moving average is a spike. A stable run of this recipe stays below
    /// about 1.08× (batch-to-batch noise at batch 32 × 64 tokens; notebook 10 prints it).</summary>
    public const double SpikeFactor = 1.3;

    /// <summary>GLM-130B's embedding-gradient shrink α.</summary>
    public const double ShrinkAlpha = 0.1;

    public static readonly int[] Seeds = [0, 1, 2, 3];

    /// <summary>The spiking run: the ladder's largest size at its top LR, 1% warm-up, every step probed.</summary>
    public static TrainConfig Spiking(Profile profile)
    {
        var ladder = Ladder.For(profile);
        var config = ladder.Base(ladder.Sizes[^1], ladder.LearningRates.Max());
        // Every step's loss for the detector; at the paper's 10⁵ steps every 10th (a curve of 10⁴ rows).
        return config with { WarmupSteps = Math.Max(1, config.Steps / 100), ProbeEvery = profile == Profile.Paper ? 10 : 1, RatioHistogram = true, Variant = "spiking" };
    }

    /// <summary>The spiking run and one change each: the LR a grid step down (÷3), ε 10⁻¹⁵, GLM-130B's shrink,
    /// PaLM's skip-and-restart (rewind ~3% of training, skip ~7% of it), and a 10% warm-up; four seeds each.</summary>
    public static IReadOnlyList<TrainConfig> Runs(Profile profile)
    {
        var spiking = Spiking(profile);
        int rewind = Math.Max(2, spiking.Steps / 30);
        var variants = new[]
        {
            spiking,
            spiking with { Variant = "lower LR", Lr = spiking.Lr / 3 },
            spiking with { Variant = "smaller ε", Eps = 1e-15 },
            spiking with { Variant = "embedding-gradient shrink", Model = spiking.Model with { EmbedGradShrink = ShrinkAlpha } },
            spiking with { Variant = "skip-and-restart", SpikeRestart = SpikeFactor, RestartRewind = rewind, RestartSkip = 2 * rewind },
            spiking with { Variant = "10% warm-up", WarmupSteps = spiking.Steps / 10 },
        };
        return variants.SelectMany(v => Seeds.Select(seed => v with { Seed = seed })).ToList();
    }

    /// <summary>The training loss of every step the run kept (a restart's undone steps are left out).</summary>
    public static IReadOnlyList<(int Step, double Loss)> KeptLosses(Curve curve)
    {
        var undone = curve.Has(Proxies.Training.Hooks.SpikeRestart.RewoundTo) ? curve.Values(Proxies.Training.Hooks.SpikeRestart.RewoundTo).ToList() : null;
        return curve.Values("step").Zip(curve.Values(RunSummary.Loss))
            .Where((p, i) => undone is null || double.IsNaN(undone[i]))
            .Select(p => ((int)p.First, p.Second)).ToList();
    }

    /// <summary>Spikes, the largest loss over its moving average, and restarts, read from the run's curve.</summary>
    public static SpikeSummary Summarise(ResultsStore store, RunResult run) => Summarise(run, CurveFile.Read(store.CurvePath(run.RunId)));

    public static SpikeSummary Summarise(RunResult run, Curve curve)
    {
        var losses = KeptLosses(curve);
        var detector = new SpikeDetector(SpikeFactor);
        double max = 0;
        var spikes = new List<int>();
        var flagged = new List<(int Step, bool Flagged, double OverAverage)>();
        for (int i = 0; i < losses.Count; i++)
        {
            double average = detector.Average;
            bool spike = detector.Observe(losses[i].Loss);
            if (spike) spikes.Add(losses[i].Step);
            flagged.Add((losses[i].Step, spike, losses[i].Loss / average));
            if (i >= detector.Settle && double.IsFinite(losses[i].Loss)) max = Math.Max(max, losses[i].Loss / average);
        }
        int restarts = curve.Has(Proxies.Training.Hooks.SpikeRestart.RewoundTo) ? curve.Values(Proxies.Training.Hooks.SpikeRestart.RewoundTo).Count(double.IsFinite) : 0;
        return new SpikeSummary(run, spikes, max, restarts, SpikeEpisode.Of(flagged));
    }

    /// <summary>The parameter groups the notebook follows: the embedding, block 0's and the last block's first MLP
    /// layer, and the head.</summary>
    public static IReadOnlyList<string> FollowedGroups(ModelConfig model) => ["embed", AdamEpsilon.BlockMlp(0), AdamEpsilon.BlockMlp(model.Depth - 1), "head"];

    /// <summary>Each parameter group's number of entries, to turn a probed gradient RMS into a gradient norm
    /// (‖g‖ = RMS·√n); read off a model built with the run's config and vocabulary.</summary>
    public static IReadOnlyDictionary<string, long> GroupSizes(RunResult run)
    {
        using var generator = new Generator(0);
        using var transformer = new Transformer(run.Config.Model with { Vocab = (int)run[RunSummary.VocabSize] }, CPU, generator);
        return MuParamGroups.Build(transformer).ToDictionary(g => g.Name, g => g.Parameter.numel());
    }

    /// <summary>A group's gradient norm (before clipping) at each probe: its probed RMS times √(entries).</summary>
    public static IReadOnlyList<(double Step, double Value)> GradNorm(Curve curve, string group, long entries) =>
        curve.FinitePoints(LayerStatistics.GradRms(group)).Select(p => (p.Step, p.Value * Math.Sqrt(entries))).ToList();

    /// <summary>The label of histogram bin <paramref name="bin"/> of |r| (<see cref="Proxies.Training.Hooks.RatioHistogram.BinEdges"/>).</summary>
    public static string BinLabel(int bin)
    {
        var edges = Proxies.Training.Hooks.RatioHistogram.BinEdges;
        double lower = bin == 0 ? 0 : edges[bin - 1];
        return double.IsPositiveInfinity(edges[bin]) ? $"≥ {lower:0.0}" : $"{lower:0.0}–{edges[bin]:0.0}";
    }
}
