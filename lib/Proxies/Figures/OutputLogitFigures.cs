using Proxies.Losses;
using Proxies.Probes;
using Proxies.Experiments;
using Proxies.Results;
using Proxies.Training;

namespace Proxies.Figures;

/// <summary>
/// The output-logit-divergence figures (Wortsman et al. Figs 3–4; Stollenwerk et al. 2026) from an
/// output-logit-divergence results folder: one colour per fix, the mechanism's probes over training.
/// </summary>
public static class OutputLogitFigures
{
    static readonly string[] VariantOrder = { "no fix", "z-loss", "weight decay", "mu-centering", "mu-loss", "soft-cap", "sgd", "learned gain" };

    /// <summary>One colour per fix; the two controls share colours with fixes they are never drawn beside.</summary>
    static string ColourOf(string variant) => variant switch
    {
        "sgd" => Palette.ColourFor(6),
        "learned gain" => Palette.ColourFor(1),
        _ => Palette.ColourFor(Math.Max(0, Array.IndexOf(VariantOrder, variant))),
    };

    static IEnumerable<RunResult> Seed0(IEnumerable<RunResult> runs) => runs.Where(r => r.Config.Seed == 0);

    /// <summary>(a) ‖μ‖ of the head over training at every LR: AdamW (solid) moves it, SGD (dashed) cannot.</summary>
    public static Figure MuUnderAdamAndSgd(ResultsStore store, IReadOnlyList<RunResult> runs)
    {
        var lrs = runs.Select(r => r.Config.Lr).Distinct().Order().ToList();
        var series = Seed0(runs).Where(r => r.Config.Variant is "no fix" or "sgd").OrderBy(r => r.Config.Lr).ThenBy(r => r.Config.Variant)
            .Select(r => CurveSeries.From(store, r, OutputStatistics.HeadMuNorm, $"{(r.Config.Variant == "sgd" ? "SGD" : "AdamW")}, LR {r.Config.Lr:G2}",
                Palette.ColourFor(lrs.IndexOf(r.Config.Lr)), r.Config.Variant == "sgd" ? LineDash.Dash : LineDash.Solid, positiveOnly: true))
            .ToList();
        return Figure.Line("a-mu-adam-vs-sgd", "Mean head row ‖μ‖ over training: AdamW (solid) vs SGD (dashed)",
            new Panel("step", "‖μ‖ of the head", series, LogY: true));
    }

    /// <summary>(b) Fig 4's form: mean output logit, log Z and loss over training at one LR, for no fix and each fix.</summary>
    public static Figure OverTraining(ResultsStore store, IReadOnlyList<RunResult> runs, double lr)
    {
        var chosen = Seed0(runs).Where(r => r.Config.Lr == lr && r.Config.Variant is not "sgd" and not "learned gain")
            .OrderBy(r => Array.IndexOf(VariantOrder, r.Config.Variant)).ToList();
        Panel P(string column, string title) => new("step", "",
            chosen.Select(r => CurveSeries.From(store, r, column, r.Config.Variant, ColourOf(r.Config.Variant))).ToList(), Title: title);
        return Figure.SideBySide("b-output-logits-over-training", $"Output logits over training at LR {lr:G2}, each fix",
            P(LossTerms.OutputLogitMeanName, "mean output logit"), P(LossTerms.LogZName, "mean log Z"), P(LossTerms.CrossEntropyName, "train loss"));
    }

    /// <summary>(c) Fig 3's form: final loss vs LR for each fix (mean over seeds, diverged runs at ℓ0).</summary>
    public static Figure FinalLossVsLr(IReadOnlyList<RunResult> runs)
    {
        var series = Analysis.FinalLossByLr(runs.Where(r => r.Config.Variant is not "sgd" and not "learned gain"))
            .GroupBy(p => p.Variant).OrderBy(g => Array.IndexOf(VariantOrder, g.Key))
            .Select(g => new Series(g.Key, g.Select(p => p.Lr).ToList(), g.Select(p => p.Loss).ToList(), ColourOf(g.Key),
                g.Key == "no fix" ? LineDash.Dash : LineDash.Solid, Markers: true)).ToList();
        return Figure.Line("c-final-loss-vs-lr-per-fix", "Final loss vs learning rate for each fix (no fix dashed)",
            new Panel("peak learning rate", "final eval loss (nats/token)", series, LogX: true));
    }

    /// <summary>(d) Where the drift goes: learned vs fixed final-LN gain at one LR, no fix.</summary>
    public static Figure LearnedVsFixedGain(ResultsStore store, IReadOnlyList<RunResult> runs, double lr)
    {
        var pair = Seed0(runs).Where(r => r.Config.Lr == lr && r.Config.Variant is "no fix" or "learned gain")
            .OrderBy(r => r.Config.Variant).ToList();
        Panel P(string column, string title, bool log = false) => new("step", "",
            pair.Select(r => CurveSeries.From(store, r, column, r.Config.Variant == "no fix" ? "fixed gain" : "learned gain",
                ColourOf(r.Config.Variant), r.Config.Variant == "no fix" ? LineDash.Solid : LineDash.Dash, positiveOnly: log)).ToList(),
            LogY: log, Title: title);
        return Figure.SideBySide("d-learned-vs-fixed-gain", $"Learned vs fixed final-LayerNorm gain at LR {lr:G2} (no fix)",
            P(OutputStatistics.HeadMuNorm, "‖μ‖ of the head", log: true), P(OutputStatistics.HiddenMeanNorm, "‖h̄‖, mean final hidden", log: true),
            P(OutputStatistics.FinalLnGainRms, "final LN gain RMS"), P(LossTerms.OutputLogitMeanName, "mean output logit"));
    }
}
