using Proxies.Experiments;

namespace Proxies.Forecasting;

/// <summary>What the protocol fixed for one metric on the fit sizes alone: the family with the lowest median backtest error
/// (a tie goes to the simpler family), every family's median error, and the chosen family's backtest RMS and
/// leave-one-out coverage of its stated 95% interval.</summary>
public sealed record MetricProtocol(LadderMetric Metric, FitFamily Family, IReadOnlyDictionary<FitFamily, double> MedianError,
    double Rms, double Coverage, IReadOnlyList<BacktestPoint> Backtest)
{
    /// <summary>Each family's backtest RMS: the widening of its own stated interval.</summary>
    public double RmsOf(FitFamily family) => Forecasting.Backtest.Rms(Backtest.Where(p => p.Family == family));
}

/// <summary>One candidate window of the early logit: its chosen family's median backtest error, the spread of the logit
/// across LRs at the largest fit size (SD of the per-LR seed means, fit scale), and their ratio, which picks the window.</summary>
public sealed record WindowScore(string Metric, FitFamily Family, double MedianError, double SpreadAcrossLrs)
{
    public double Score => MedianError / SpreadAcrossLrs;
}

/// <summary>
/// The choices a forecast makes before it predicts anything, each by the rolling backtest on the fit sizes
/// (<see cref="Backtest.Rolling"/>): which family extrapolates a metric, and where the early attention logit is read.
/// The held-out sizes never enter.
/// </summary>
public static class Protocol
{
    public static MetricProtocol Fix(IReadOnlyList<LadderPoint> fitPoints, LadderMetric metric, IReadOnlyList<ModelSize> fitSizes)
    {
        var backtest = SizePredictor.Families.SelectMany(f => Forecasting.Backtest.Rolling(fitPoints, metric, f, fitSizes)).ToList();
        var medians = Forecasting.Backtest.MedianErrorOnCommonTargets(backtest);
        var finite = SizePredictor.Families.Where(f => medians.TryGetValue(f, out var m) && double.IsFinite(m)).ToList();
        // A tie, to rounding, goes to the simpler family (the enum's order): an exact power law gives the line and the
        // quadratic both zero error, up to the quadratic's extra rounding.
        double best = finite.Count == 0 ? double.NaN : finite.Min(f => medians[f]);
        var chosen = finite.Where(f => medians[f] <= best + 1e-9 * Math.Max(1, Math.Abs(best))).DefaultIfEmpty(FitFamily.Persistence).Min();
        var own = backtest.Where(p => p.Family == chosen).ToList();
        return new MetricProtocol(metric, chosen, medians, Forecasting.Backtest.Rms(own), Forecasting.Backtest.LeaveOneOutCoverage(own), backtest);
    }

    /// <summary>The early-logit window (<see cref="LadderMetric.LogitWindows"/>) whose chosen family predicts best relative
    /// to what it has to predict: <see cref="WindowScore.Score"/>, the median backtest error over the spread of the early
    /// logit across LRs at the largest fit size. A raw error would favour the window in which the logit has moved least
    /// (at 2% of a 300-step run, the first two probes), which is the easiest to predict and the least informative.</summary>
    public static (MetricProtocol Chosen, IReadOnlyList<WindowScore> Scores) FixLogitWindow(IReadOnlyList<LadderPoint> fitPoints, IReadOnlyList<ModelSize> fitSizes)
    {
        var largest = fitSizes.MaxBy(s => s.NonEmbeddingParams);
        var candidates = LadderMetric.LogitWindows.Select(w =>
        {
            var p = Fix(fitPoints, LadderMetric.EarlyMaxLogit(w), fitSizes);
            var perLr = fitPoints.Select(x => x.Lr).Distinct()
                .Select(lr => Forecasting.Backtest.FitScale(fitPoints, p.Metric, lr, s => s == largest).Select(x => x.Y).DefaultIfEmpty(double.NaN).Average())
                .Where(double.IsFinite).ToList();
            double error = p.MedianError.TryGetValue(p.Family, out var m) ? m : double.NaN;
            return (Protocol: p, Score: new WindowScore(p.Metric.Name, p.Family, error, perLr.Count < 2 ? double.NaN : Analysis.Sd(perLr)));
        }).ToList();
        var chosen = candidates.OrderBy(c => double.IsFinite(c.Score.Score) ? c.Score.Score : double.PositiveInfinity).First().Protocol;
        return (chosen, candidates.Select(c => c.Score).ToList());
    }
}
