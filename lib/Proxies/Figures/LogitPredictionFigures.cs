using Proxies.Experiments;
using Proxies.Results;
using Proxies.Training;

namespace Proxies.Figures;

/// <summary>The paper's Figs 9 and 10: predicting attention-logit growth from small models, and the κ transplant.</summary>
public static class LogitPredictionFigures
{
    /// <summary>Fig 9: block 0's early max logit against non-embedding parameters, one colour per LR: the measured sizes
    /// (solid, markers, the held-out one included), the quadratic fit extended to the held-out size (dashed) and the
    /// paper's 10⁴ threshold (dotted).</summary>
    public static Figure MaxLogitVsSize(ResultsStore store, IReadOnlyList<RunResult> runs, Profile profile)
    {
        var fits = LogitPrediction.Fits(store, runs, profile);
        var lrs = fits.Keys.Order().ToList();
        var series = new List<Series>();
        double lo = Math.Log10(runs.Min(r => r.Params)), hi = Math.Log10(runs.Max(r => r.Params));
        var xs = Enumerable.Range(0, 41).Select(i => lo + (hi - lo) * i / 40).ToList();
        foreach (var (lr, i) in lrs.Select((lr, i) => (lr, i)))
        {
            var measured = runs.Where(r => r.Config.Lr == lr).OrderBy(r => r.Params).ToList();
            var colour = Palette.ColourFor(i);
            series.Add(new Series($"LR {lr:G2}", measured.Select(r => (double)r.Params).ToList(),
                measured.Select(r => LogitPrediction.EarlyMaxLogit(store, r)).ToList(), colour, Markers: true));
            series.Add(new Series($"LR {lr:G2}: fit", xs.Select(x => Math.Pow(10, x)).ToList(),
                xs.Select(x => Math.Pow(10, fits[lr].Evaluate(x))).ToList(), colour, LineDash.Dash));
        }
        series.Add(new Series("threshold 1e4", [Math.Pow(10, lo), Math.Pow(10, hi)], [LogitPrediction.Threshold, LogitPrediction.Threshold], "#777777", LineDash.Dot));
        return Figure.Line("fig9-max-logit-vs-size", $"Block 0's max attention logit by step {runs.Select(r => LogitPrediction.MeasuredUntil(r.Config)).Max()} (qk-layernorm off): measured, and the fit on the smaller sizes",
            new Panel("non-embedding parameters", "max attention logit, block 0", series, LogX: true, LogY: true));
    }

    /// <summary>The held-out size: predicted and observed early max logit against LR.</summary>
    public static Figure PredictionVsObservation(IReadOnlyList<LogitPredictionRow> rows)
    {
        var x = rows.Select(r => r.Lr).ToList();
        var held = rows[0];
        return Figure.Line("fig9-prediction-vs-observation", $"Held-out size d{held.Width}×{held.Depth}: predicted and observed max logit",
            new Panel("peak learning rate", $"max attention logit, block 0, by step {held.MeasuredUntilStep}",
            [
                new Series("predicted (fit on smaller sizes)", x, rows.Select(r => r.PredictedMaxLogit).ToList(), Palette.ColourFor(0), LineDash.Dash, Markers: true),
                new Series("observed", x, rows.Select(r => r.ObservedMaxLogit).ToList(), Palette.ColourFor(1), Markers: true),
                new Series("threshold 1e4", [x.Min(), x.Max()], [LogitPrediction.Threshold, LogitPrediction.Threshold], "#777777", LineDash.Dot),
            ], LogX: true, LogY: true));
    }

    /// <summary>Fig 10: held-out loss against the transplanted max logit κ, beside the bigram model's loss.</summary>
    public static Figure KappaTransplant(IReadOnlyList<(double Kappa, double MaxLogit, double Loss)> curve, double trainedLoss, double bigramLoss)
    {
        var k = curve.Select(c => c.Kappa).ToList();
        return Figure.Line("fig10-kappa-transplant", "Loss after transplanting a max attention logit κ into a trained model",
            new Panel("κ (max attention logit of every block)", "held-out loss",
            [
                new Series("transplanted", k, curve.Select(c => c.Loss).ToList(), Palette.ColourFor(0), Markers: true),
                new Series("trained model, untouched", [k.Min(), k.Max()], [trainedLoss, trainedLoss], Palette.ColourFor(2), LineDash.Dash),
                new Series("bigram model", [k.Min(), k.Max()], [bigramLoss, bigramLoss], "#777777", LineDash.Dot),
            ], LogX: true));
    }
}
