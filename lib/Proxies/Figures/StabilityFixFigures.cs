using Proxies.Model;
using Proxies.Results;
using Proxies.Training;

namespace Proxies.Figures;

/// <summary>Notebook 12: the attention logits under each 2024–26 fix over training, and each head under QK-Clip.</summary>
public static class StabilityFixFigures
{
    /// <summary>A horizontal reference line at <paramref name="y"/> over <paramref name="steps"/> steps.</summary>
    static Series Level(string name, double y, int steps) => new(name, [0, steps], [y, y], "gray", LineDash.Dot);

    /// <summary>The max attention logit over every block and head (before any soft-cap) against step, one line per run
    /// (the runs of one size, LR and seed, one per arm), with QK-Clip's τ and the soft-cap's c drawn dotted.</summary>
    public static Figure MaxLogitOverTraining(ResultsStore store, IReadOnlyList<RunResult> runs, double tau, double cap, string title)
    {
        int steps = runs.Max(r => r.Config.Steps);
        var series = runs.Select((r, i) => CurveSeries.From(store, r, ForwardProbe.MaxLogit, r.Config.Variant, Palette.ColourFor(i), positiveOnly: true))
            .Append(Level($"QK-Clip τ = {tau:G}", tau, steps)).Append(Level($"soft-cap c = {cap:G}", cap, steps)).ToList();
        return Figure.Line("max-logit-over-training", title, new Panel("step", "max attention logit (pre-cap)", series, LogY: true));
    }

    /// <summary>Each head's max logit S_max over training in one run, one colour per block, with τ dotted: under QK-Clip
    /// every head that reaches τ is pulled back to it at the next step.</summary>
    public static Figure HeadsOverTraining(ResultsStore store, RunResult run, double tau)
    {
        var model = run.Config.Model;
        var series = Enumerable.Range(0, model.Depth).SelectMany(b => Enumerable.Range(0, model.Heads).Select(h =>
                CurveSeries.From(store, run, ForwardProbe.HeadMaxLogit(b, h), $"block {b}, head {h}", Palette.ColourFor(b), (LineDash)(h % 3), positiveOnly: true)))
            .Append(Level($"τ = {tau:G}", tau, run.Config.Steps)).ToList();
        return Figure.Line("heads-over-training", $"Each head's max attention logit: {run.Config.Variant}, d{model.Width}, LR {run.Config.Lr:G2}, seed {run.Config.Seed}",
            new Panel("step", "head's max attention logit S_max", series, LogY: true));
    }
}
