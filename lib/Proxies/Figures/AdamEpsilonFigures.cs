using Proxies.Experiments;
using Proxies.Probes;
using Proxies.Results;
using Proxies.Training;

namespace Proxies.Figures;

/// <summary>The paper's Figs 11–13, E.13 and C.1: gradient RMS against ε, and what ε does at a high LR.</summary>
public static class AdamEpsilonFigures
{
    /// <summary>Fig 11: block 0's first-MLP gradient RMS late in training against size (one line per LR) and against LR
    /// (one line per size), with the paper's ε = 10⁻⁸ dotted.</summary>
    public static Figure GradRms(ResultsStore store, IReadOnlyList<RunResult> grid)
    {
        double Value(RunResult r) => AdamEpsilon.LateMean(store, r, LayerStatistics.GradRms(AdamEpsilon.BlockMlp(0)));
        var lrs = grid.Select(r => r.Config.Lr).Distinct().Order().ToList();
        var widths = grid.Select(r => r.Config.Model.Width).Distinct().Order().ToList();
        var bySize = lrs.Select((lr, i) =>
        {
            var runs = grid.Where(r => r.Config.Lr == lr).OrderBy(r => r.Params).ToList();
            return new Series($"LR {lr:G2}", runs.Select(r => (double)r.Params).ToList(), runs.Select(Value).ToList(), Palette.ColourFor(i), Markers: true);
        }).ToList();
        var byLr = widths.Select((w, i) =>
        {
            var runs = grid.Where(r => r.Config.Model.Width == w).OrderBy(r => r.Config.Lr).ToList();
            return new Series($"d{w}×{runs[0].Config.Model.Depth}", runs.Select(r => r.Config.Lr).ToList(), runs.Select(Value).ToList(), Palette.ColourFor(i), LineDash.Dash, Markers: true);
        }).ToList();
        double eps = grid[0].Config.Eps;
        Series EpsLine(IReadOnlyList<double> x) => new($"ε {eps:G2}", [x.Min(), x.Max()], [eps, eps], "#777777", LineDash.Dot);
        return Figure.SideBySide("fig11-grad-rms", $"Gradient RMS of block 0's first MLP layer, mean over the last {AdamEpsilon.LateFraction:P0} of training",
            new Panel("non-embedding parameters", "gradient RMS", bySize.Append(EpsLine(bySize[0].X)).ToList(), LogX: true, LogY: true, Title: "against size"),
            new Panel("peak learning rate", "gradient RMS", byLr.Append(EpsLine(lrs)).ToList(), LogX: true, LogY: true, Title: "against LR"));
    }

    /// <summary>Figs 12, 13 and E.13 for one size at one LR: training loss, gradient RMS and unscaled update RMS of a
    /// block's first MLP layer over training, one colour per ε (each ε's value dotted on the gradient panel).</summary>
    public static Figure OverTraining(ResultsStore store, IReadOnlyList<RunResult> runs, int block)
    {
        var ordered = runs.OrderByDescending(r => r.Config.Eps).ToList();
        string group = AdamEpsilon.BlockMlp(block);
        Series Of(RunResult r, int i, string column) => CurveSeries.From(store, r, column, $"ε {r.Config.Eps:0e+00}", Palette.ColourFor(i), positiveOnly: true);
        var steps = ordered.Select((r, i) => Of(r, i, RunSummary.Loss)).ToList();
        double last = ordered[0].Config.Steps;
        var epsLines = ordered.Select((r, i) => new Series($"ε {r.Config.Eps:0e+00}", [0, last], [r.Config.Eps, r.Config.Eps], Palette.ColourFor(i), LineDash.Dot));
        var first = ordered[0];
        return Figure.SideBySide($"fig12-eps-d{first.Config.Model.Width}-block{block}",
            $"d{first.Config.Model.Width}×{first.Config.Model.Depth} at LR {first.Config.Lr:G2}: AdamW's ε (block {block}'s first MLP layer)",
            new Panel("step", "training loss", steps, Title: "loss"),
            new Panel("step", "gradient RMS", ordered.Select((r, i) => Of(r, i, LayerStatistics.GradRms(group))).Concat(epsLines).ToList(), LogY: true, Title: "gradient RMS (ε dotted)"),
            new Panel("step", "RMS of m̂/(√v̂+ε)", ordered.Select((r, i) => Of(r, i, LayerStatistics.UpdateRms(group))).ToList(), LogY: true, Title: "unscaled update RMS"));
    }

    /// <summary>App. C.1: RMS of each block's output at the end of training against LR, one line per block.</summary>
    public static Figure BlockOutputRms(ResultsStore store, IReadOnlyList<RunResult> runs)
    {
        var ordered = runs.OrderBy(r => r.Config.Lr).ToList();
        int depth = ordered[0].Config.Model.Depth;
        double Final(RunResult r, int b) => CurveFile.Read(store.CurvePath(r.RunId)).Taken(AdamEpsilon.BlockOutputRms(b)).Last();
        var series = Enumerable.Range(0, depth).Select(b => new Series($"block {b}", ordered.Select(r => r.Config.Lr).ToList(),
            ordered.Select(r => Final(r, b)).ToList(), Palette.ColourFor(b), Markers: true)).ToList();
        return Figure.Line($"figc1-block-output-rms-d{ordered[0].Config.Model.Width}", $"RMS of each block's output at the end of training, d{ordered[0].Config.Model.Width}×{depth}",
            new Panel("peak learning rate", "RMS of block output", series, LogX: true, LogY: true));
    }
}
