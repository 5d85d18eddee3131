using Proxies.Forecasting;

namespace Proxies.Figures;

/// <summary>A forecast drawn: one metric of the ladder against model size, carried to the planned size.</summary>
public static class ForecastFigures
{
    /// <summary>
    /// One metric against non-embedding parameters, one colour per LR: the fit sizes' seed means in the fit scale (filled markers), the
    /// family the protocol chose, fitted on every seed of the fit sizes and carried to the planned size (dashed), its
    /// stated 95% interval (band: the fit's own interval widened by twice the backtest RMS), the held-out sizes' seed means
    /// (open markers, never seen by the fit), and the planned size (dotted vertical line). An LR's three series share its
    /// name, so the legend shows one entry per LR and a click on it hides all three.
    /// </summary>
    public static Figure Ladder(ForecastStudy study, string metricName)
    {
        var report = study.Report;
        var protocol = report.ProtocolFor(metricName);
        var metric = protocol.Metric;
        var fitSizes = study.Ladder.Fit;
        // The curves run a quarter decade past the planned size, so that its line stands inside the axes.
        double lo = Math.Log10(fitSizes.Min(s => s.NonEmbeddingParams)), hi = Math.Log10(report.PlannedParams) + 0.25;
        var xs = Enumerable.Range(0, 41).Select(i => lo + (hi - lo) * i / 40).ToList();
        var series = new List<Series>();
        var lrs = study.Points.Select(p => p.Lr).Distinct().Order().ToList();
        double yLow = double.PositiveInfinity, yHigh = double.NegativeInfinity;
        foreach (var (lr, i) in lrs.Select((lr, i) => (lr, i)))
        {
            var colour = Palette.ColourFor(i);
            var xy = Backtest.FitScale(study.Points, metric, lr, s => fitSizes.Contains(s));
            if (xy.Select(p => p.X).Distinct().Count() < SizePredictor.SizesNeeded(protocol.Family)) continue;
            var fit = xs.Select(x => SizePredictor.Predict(protocol.Family, xy, x)).ToList();
            var half = fit.Select(p => Backtest.StatedHalfWidth(p.FitHalfWidth, protocol.Rms)).ToList();
            var curve = new Series($"LR {lr:G2}", xs.Select(x => Math.Pow(10, x)).ToList(),
                fit.Select(p => metric.FromFitScale(p.Value)).ToList(), colour, LineDash.Dash)
            {
                Band = (fit.Zip(half, (p, h) => metric.FromFitScale(p.Value - h)).ToList(), fit.Zip(half, (p, h) => metric.FromFitScale(p.Value + h)).ToList()),
            };
            series.Add(curve);
            series.Add(SeedMeans($"LR {lr:G2}", study.Points, metric, lr, fitSizes, colour, hollow: false));
            if (study.Ladder.HeldOut.Any(s => study.Points.Any(p => p.Size == s && p.Lr == lr)))
                series.Add(SeedMeans($"LR {lr:G2}", study.Points, metric, lr, study.Ladder.HeldOut, colour, hollow: true));
            yLow = Math.Min(yLow, curve.Band!.Value.Low.Concat(curve.Y).Where(double.IsFinite).Where(y => !metric.LogScale || y > 0).DefaultIfEmpty(yLow).Min());
            yHigh = Math.Max(yHigh, curve.Band!.Value.High.Concat(curve.Y).Where(double.IsFinite).DefaultIfEmpty(yHigh).Max());
        }
        if (double.IsFinite(yLow) && double.IsFinite(yHigh))
            series.Add(new Series($"planned {report.Planned.Label}", [report.PlannedParams, report.PlannedParams], [yLow, yHigh], "#777777", LineDash.Dot));
        return Figure.Line($"forecast-{metric.Name.Replace('/', '-')}",
            $"{metric.Name}: fit sizes (filled), held out (open), {protocol.Family.ToString().ToLowerInvariant()} fit ± 95% (dashed, band), planned {report.Planned.Label} (dotted)",
            new Panel("non-embedding parameters", metric.Description, series, LogX: true, LogY: metric.LogScale));
    }

    static Series SeedMeans(string name, IReadOnlyList<LadderPoint> points, LadderMetric metric, double lr, IReadOnlyList<ModelSize> sizes, string colour, bool hollow)
    {
        // Averaged in the fit scale (a geometric mean for log metrics), as the fits and the held-out tables average them.
        var means = sizes.Select(s => (X: (double)s.NonEmbeddingParams,
                Y: metric.FromFitScale(Backtest.FitScale(points, metric, lr, size => size == s).Select(p => p.Y).DefaultIfEmpty(double.NaN).Average())))
            .Where(m => double.IsFinite(m.Y)).ToList();
        return new Series(name, means.Select(m => m.X).ToList(), means.Select(m => m.Y).ToList(), colour, MarkersOnly: true, Hollow: hollow);
    }
}
