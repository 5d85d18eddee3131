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
        var chosen = SizePredictor.Families.Where(f => medians.TryGetValue(f, out var m) && double.IsFinite(m))
            .OrderBy(f => medians[f]).ThenBy(f => (int)f).DefaultIfEmpty(FitFamily.Persistence).First();
        var own = backtest.Where(p => p.Family == chosen).ToList();
        return new MetricProtocol(metric, chosen, medians, Forecasting.Backtest.Rms(own), Forecasting.Backtest.LeaveOneOutCoverage(own), backtest);
    }

    /// <summary>The early-logit window (<see cref="LadderMetric.LogitWindows"/>) whose chosen family backtests best.</summary>
    public static MetricProtocol FixLogitWindow(IReadOnlyList<LadderPoint> fitPoints, IReadOnlyList<ModelSize> fitSizes) =>
        LadderMetric.LogitWindows.Select(w => Fix(fitPoints, LadderMetric.EarlyMaxLogit(w), fitSizes))
            .OrderBy(p => p.MedianError.TryGetValue(p.Family, out var m) && double.IsFinite(m) ? m : double.PositiveInfinity).First();
}
