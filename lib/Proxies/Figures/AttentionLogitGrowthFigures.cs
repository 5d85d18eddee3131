using Proxies.Experiments;
using Proxies.Losses;
using Proxies.Model;
using Proxies.Probes;
using Proxies.Results;
using Proxies.Training;

namespace Proxies.Figures;

/// <summary>
/// The paper's Fig 1, Fig 2 and App. E.1 from an attention-logit-growth results folder. One colour per model size;
/// solid with qk-layernorm (the fix), dashed without. Plots are made from the stored runs and curves only.
/// </summary>
public static class AttentionLogitGrowthFigures
{
    static readonly string On = Variant.QkLnOn.Label, Off = Variant.QkLnOff.Label;

    static LineDash DashFor(string variant) => variant == On ? LineDash.Solid : LineDash.Dash;

    static List<int> Widths(IEnumerable<RunResult> runs) => runs.Select(r => r.Config.Model.Width).Distinct().Order().ToList();

    static string SizeLabel(RunResult r) => $"d{r.Config.Model.Width} ({r.Params / 1e3:F0}k)";

    /// <summary>Fig 1 (left): final held-out loss vs peak LR per size, with and without qk-layernorm. Diverged runs
    /// are drawn at their initial loss, as the LR-sensitivity metric counts them.</summary>
    public static Figure FinalLossVsLr(IReadOnlyList<RunResult> runs)
    {
        var widths = Widths(runs);
        var series = runs.GroupBy(r => (r.Config.Variant, r.Config.Model.Width)).OrderBy(g => g.Key.Width).ThenBy(g => g.Key.Variant)
            .Select(g =>
            {
                var points = Analysis.FinalLossByLr(g).OrderBy(p => p.Lr).ToList();
                return new Series($"{SizeLabel(g.First())}, {g.Key.Variant}", points.Select(p => p.Lr).ToList(),
                    points.Select(p => p.Loss).ToList(), Palette.ColourFor(widths.IndexOf(g.Key.Width)), DashFor(g.Key.Variant), Markers: true);
            }).ToList();
        return Figure.Line("fig1-final-loss-vs-lr", "Final loss vs learning rate, with (solid) and without (dashed) qk-layernorm",
            new Panel("peak learning rate", "final eval loss (nats/byte)", series, LogX: true));
    }

    /// <summary>Fig 1 (right): LR sensitivity vs non-embedding parameters, per variant.</summary>
    public static Figure SensitivityVsSize(IReadOnlyList<RunResult> runs)
    {
        var rows = Analysis.LrSensitivityBySize(runs);
        var series = rows.GroupBy(r => r.Variant).Select((g, i) => new Series(g.Key,
            g.Select(r => (double)r.Params).ToList(), g.Select(r => r.LrSens).ToList(), Palette.ColourFor(i + 3), DashFor(g.Key), Markers: true)).ToList();
        return Figure.Line("fig1-lr-sensitivity-vs-size", "LR sensitivity vs model size",
            new Panel("non-embedding parameters", "LR sensitivity (nats)", series, LogX: true));
    }

    /// <summary>Fig 2: loss and block-0 max attention logit over training at one LR, for the given sizes, with and without qk-LN.</summary>
    public static Figure OverTraining(ResultsStore store, IReadOnlyList<RunResult> runs, double lr, IReadOnlyList<int> widths)
    {
        var allWidths = Widths(runs);
        var chosen = runs.Where(r => Math.Abs(r.Config.Lr / lr - 1) < 1e-9 && widths.Contains(r.Config.Model.Width) && r.Config.Seed == 0)
            .OrderBy(r => r.Config.Model.Width).ThenBy(r => r.Config.Variant).ToList();
        if (chosen.Count == 0) throw new ArgumentException($"no runs at LR {lr} for widths {string.Join(", ", widths)} in {store.Folder}");
        Series Of(RunResult r, string column) => CurveSeries.From(store, r, column, $"{SizeLabel(r)}, {r.Config.Variant}",
            Palette.ColourFor(allWidths.IndexOf(r.Config.Model.Width)), DashFor(r.Config.Variant), positiveOnly: true);
        return Figure.SideBySide("fig2-attention-logit-growth", $"Attention-logit growth at LR {lr:G2}",
            new Panel("step", "train loss", chosen.Select(r => Of(r, LossTerms.CrossEntropyName)).ToList(), Title: "loss"),
            new Panel("step", "max attention logit, block 0", chosen.Select(r => Of(r, ForwardProbe.BlockMaxLogit(0))).ToList(), LogY: true, Title: "max attention logit"));
    }

    /// <summary>App. E.1: at the max-logit pair of block 0, the query and key norms grow while the cosine does not.</summary>
    public static Figure NormsVsCosine(ResultsStore store, RunResult run)
    {
        Series S(string column, string name, int colour, LineDash dash = LineDash.Solid) =>
            CurveSeries.From(store, run, column, name, Palette.ColourFor(colour), dash);
        return Figure.SideBySide("e1-qk-norms-vs-cosine", $"Where the logit growth comes from ({SizeLabel(run)}, LR {run.Config.Lr:G2}, {run.Config.Variant})",
            new Panel("step", "norm at the max-logit pair", new[] { S(ForwardProbe.QueryNorm(0), "‖q‖", 0), S(ForwardProbe.KeyNorm(0), "‖k‖", 1, LineDash.Dash) }, LogY: true, Title: "query and key norms"),
            new Panel("step", "cosine(q, k) at the max-logit pair", new[] { S(ForwardProbe.QueryKeyCosine(0), "cos(q, k)", 2) }, Title: "cosine similarity"));
    }
}
