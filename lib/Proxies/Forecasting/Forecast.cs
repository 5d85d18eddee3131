using Proxies.Experiments;

namespace Proxies.Forecasting;

/// <summary>One metric at one LR for the planned size: the chosen family's value and stated 95% interval (natural
/// units), and what each family alone predicts (persistence and the line are the baselines beside every fit).</summary>
public sealed record MetricForecast(string Metric, double Lr, FitFamily Family, double Value, double Low, double High,
    IReadOnlyDictionary<FitFamily, double> ByFamily);

/// <summary>Where a layer's gradient RMS meets AdamW's ε, from a straight line in log–log over the fit sizes (the paper's
/// power-law reading), at one LR: the slope per decade of parameters, the parameter count at the crossing and its 95%
/// interval (the sizes where the stated band's edges cross ε; +∞ where an edge never comes down to it), and the RMS
/// predicted at the planned size.</summary>
public sealed record EpsCrossover(string Layer, double Lr, double SlopePerDecade, double ParamsAtEps, double Low, double High,
    double RmsAtPlanned, double RmsLow, double RmsHigh);

/// <summary>A forecast for a planned size, with the protocol behind it and its error on the held-out sizes.</summary>
public sealed record ForecastReport(ModelSize Planned, long PlannedParams, double Eps, double Tolerance,
    IReadOnlyList<MetricProtocol> Protocols, IReadOnlyList<WindowScore> Windows, IReadOnlyList<MetricForecast> Rows, double SafeLr, double SafeLrConservative,
    IReadOnlyList<EpsCrossover> Crossovers, IReadOnlyList<BacktestPoint> HeldOut)
{
    public MetricProtocol ProtocolFor(string metric) => Protocols.First(p => p.Metric.Name == metric);

    /// <summary>The held-out coverage of one family's stated intervals for a metric: seeds inside / seeds.</summary>
    public double HeldOutCoverage(string metric, FitFamily family)
    {
        var points = HeldOut.Where(p => p.Metric == metric && p.Family == family).ToList();
        double rms = ProtocolFor(metric).RmsOf(family);
        int total = points.Sum(p => p.Observed.Count);
        return total == 0 ? double.NaN : (double)points.Sum(p => p.Inside(rms)) / total;
    }
}

/// <summary>
/// "Will my planned run be unstable?", answered from a ladder: per LR, the planned size's early max attention logit, loss
/// penalty against the best LR and head-μ drift, the largest LR whose penalty stays under a tolerance, and where each
/// layer's gradient RMS meets ε. Every choice is fixed by <see cref="Protocol"/> on the fit sizes; the held-out sizes
/// only measure the result.
/// </summary>
public static class Forecast
{
    public static ForecastReport Make(IReadOnlyList<LadderPoint> points, ForecastLadder ladder, ModelSize planned, double eps, double tolerance)
    {
        var fitPoints = points.Where(p => ladder.Fit.Contains(p.Size)).ToList();
        var (logit, windows) = Protocol.FixLogitWindow(fitPoints, ladder.Fit);
        var protocols = new List<MetricProtocol> { logit };
        protocols.AddRange(new[] { LadderMetric.LossPenalty, LadderMetric.HeadMuDrift }.Concat(LadderMetric.Layers.Select(LadderMetric.GradRms))
            .Select(m => Protocol.Fix(fitPoints, m, ladder.Fit)));
        double x = Math.Log10(planned.NonEmbeddingParams);
        var rows = protocols.SelectMany(p => Predict(fitPoints, p, x)).ToList();

        var penalty = rows.Where(r => r.Metric == LadderMetric.LossPenalty.Name).ToList();
        double safe = penalty.Where(r => r.Value <= tolerance).Select(r => r.Lr).DefaultIfEmpty(double.NaN).Max();
        double safeConservative = penalty.Where(r => r.High <= tolerance).Select(r => r.Lr).DefaultIfEmpty(double.NaN).Max();

        var crossovers = LadderMetric.Layers.SelectMany(layer => Crossovers(fitPoints, protocols.First(p => p.Metric.Name == LadderMetric.GradRms(layer).Name), layer, eps, x)).ToList();
        var heldOut = protocols.SelectMany(p => SizePredictor.Families.SelectMany(f =>
            Backtest.Predictions(points, p.Metric, f, ladder.Fit.ToList(), ladder.HeldOut))).ToList();
        return new ForecastReport(planned, planned.NonEmbeddingParams, eps, tolerance, protocols, windows, rows, safe, safeConservative, crossovers, heldOut);
    }

    static IEnumerable<MetricForecast> Predict(IReadOnlyList<LadderPoint> fitPoints, MetricProtocol protocol, double x)
    {
        var metric = protocol.Metric;
        foreach (var lr in fitPoints.Select(p => p.Lr).Distinct().Order())
        {
            var xy = Backtest.FitScale(fitPoints, metric, lr, _ => true);
            int sizes = xy.Select(p => p.X).Distinct().Count();
            var byFamily = SizePredictor.Families.Where(f => sizes >= SizePredictor.SizesNeeded(f))
                .ToDictionary(f => f, f => SizePredictor.Predict(f, xy, x));
            if (!byFamily.TryGetValue(protocol.Family, out var chosen)) continue;
            double half = Backtest.StatedHalfWidth(chosen.FitHalfWidth, protocol.Rms);
            yield return new MetricForecast(metric.Name, lr, protocol.Family, metric.FromFitScale(chosen.Value),
                metric.FromFitScale(chosen.Value - half), metric.FromFitScale(chosen.Value + half),
                byFamily.ToDictionary(kv => kv.Key, kv => metric.FromFitScale(kv.Value.Value)));
        }
    }

    /// <summary>Per LR, the line's crossing of log10 ε and the band's: solved by bisection in x = log10 parameters from the
    /// largest fit size up to 10³⁰ parameters.</summary>
    static IEnumerable<EpsCrossover> Crossovers(IReadOnlyList<LadderPoint> fitPoints, MetricProtocol protocol, string layer, double eps, double plannedX)
    {
        double rms = protocol.RmsOf(FitFamily.Line), target = Math.Log10(eps);
        foreach (var lr in fitPoints.Select(p => p.Lr).Distinct().Order())
        {
            var xy = Backtest.FitScale(fitPoints, protocol.Metric, lr, _ => true);
            if (xy.Select(p => p.X).Distinct().Count() < 2) continue;
            var fit = PolynomialFit.LeastSquares(xy, 1);
            if (fit.DegreesOfFreedom < 1) continue;   // no residual spread: no interval to state
            double Half(double at) => Backtest.StatedHalfWidth(StudentT.Quantile975(fit.DegreesOfFreedom) * fit.NewObservationSe(at), rms);
            double from = xy.Max(p => p.X);
            double centre = Crossing(at => fit.Evaluate(at) - target, from);
            double low = Crossing(at => fit.Evaluate(at) - Half(at) - target, from);
            double high = Crossing(at => fit.Evaluate(at) + Half(at) - target, from);
            double y = fit.Evaluate(plannedX), h = Half(plannedX);
            yield return new EpsCrossover(layer, lr, fit.Coefficients()[1], Math.Pow(10, centre), Math.Pow(10, low), Math.Pow(10, high),
                Math.Pow(10, y), Math.Pow(10, y - h), Math.Pow(10, y + h));
        }
    }

    /// <summary>The smallest x ≥ <paramref name="from"/> (to 30) where f falls to 0 (f decreasing there): <paramref name="from"/>
    /// when it is already ≤ 0, +∞ when it never gets there, NaN when f is NaN anywhere on the way (an interval that
    /// cannot be computed must not read as a crossing).</summary>
    public static double Crossing(Func<double, double> f, double from, double to = 30)
    {
        if (double.IsNaN(f(from))) return double.NaN;
        if (f(from) <= 0) return from;
        // The band's edges curve away from the line, so scan for the first sign change before bisecting.
        const int steps = 600;
        double step = (to - from) / steps, a = from;
        for (int i = 1; i <= steps; i++)
        {
            double b = from + i * step;
            if (double.IsNaN(f(b))) return double.NaN;
            if (f(b) > 0) { a = b; continue; }
            for (int k = 0; k < 60; k++)
            {
                double m = (a + b) / 2;
                if (f(m) > 0) a = m; else b = m;
            }
            return b;
        }
        return double.PositiveInfinity;
    }
}
