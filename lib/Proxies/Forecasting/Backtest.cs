using Proxies.Experiments;

namespace Proxies.Forecasting;

/// <summary>One prediction of a size the fit did not use, in the metric's fit scale: the prediction, its fit-only 95%
/// half-width, and every seed's observation there.</summary>
public sealed record BacktestPoint(string Metric, FitFamily Family, double Lr, int FitSizes, ModelSize Target, long TargetParams,
    double Predicted, double FitHalfWidth, IReadOnlyList<double> Observed)
{
    public double ObservedMean => Observed.Average();
    /// <summary>Observed seed mean minus prediction: positive when the larger model came out higher than forecast.</summary>
    public double Error => ObservedMean - Predicted;

    /// <summary>The stated interval's half-width: the fit's own, widened by the backtest's error
    /// (<see cref="Backtest.StatedHalfWidth"/>).</summary>
    public double StatedHalfWidth(double backtestRms) => Backtest.StatedHalfWidth(FitHalfWidth, backtestRms);

    /// <summary>How many seeds' observations fall inside prediction ± the stated half-width.</summary>
    public int Inside(double backtestRms)
    {
        double half = StatedHalfWidth(backtestRms);
        return Observed.Count(y => Math.Abs(y - Predicted) <= half);
    }
}

/// <summary>
/// The forecast's error, measured before any held-out size is looked at. Rolling: fit the k smallest fit sizes, predict
/// sizes k+1 and k+2, for every k a family can fit. The same function predicts the held-out sizes from all fit sizes.
/// </summary>
public static class Backtest
{
    /// <summary>For every LR: fit <paramref name="fit"/>'s points, predict each of <paramref name="targets"/>. A target or
    /// fit size without a finite value at that LR is left out.</summary>
    public static IEnumerable<BacktestPoint> Predictions(IReadOnlyList<LadderPoint> points, LadderMetric metric, FitFamily family,
        IReadOnlyCollection<ModelSize> fit, IEnumerable<ModelSize> targets)
    {
        var targetList = targets.ToList();
        foreach (var lr in points.Select(p => p.Lr).Distinct().Order())
        {
            var fitPoints = FitScale(points, metric, lr, fit.Contains);
            if (fitPoints.Select(p => p.X).Distinct().Count() < SizePredictor.SizesNeeded(family)) continue;
            foreach (var target in targetList)
            {
                var observed = FitScale(points, metric, lr, s => s == target).Select(p => p.Y).ToList();
                if (observed.Count == 0) continue;
                var prediction = SizePredictor.Predict(family, fitPoints, Math.Log10(target.NonEmbeddingParams));
                yield return new BacktestPoint(metric.Name, family, lr, fit.Count, target, target.NonEmbeddingParams,
                    prediction.Value, prediction.FitHalfWidth, observed);
            }
        }
    }

    /// <summary>The rolling backtest over the fit sizes, smallest first: fit sizes 1..k, predict k+1 and k+2.</summary>
    public static IReadOnlyList<BacktestPoint> Rolling(IReadOnlyList<LadderPoint> points, LadderMetric metric, FitFamily family, IReadOnlyList<ModelSize> fitSizes)
    {
        var sizes = fitSizes.OrderBy(s => s.NonEmbeddingParams).ToList();
        return Enumerable.Range(SizePredictor.SizesNeeded(family), Math.Max(0, sizes.Count - SizePredictor.SizesNeeded(family)))
            .SelectMany(k => Predictions(points, metric, family, sizes.Take(k).ToList(), sizes.Skip(k).Take(2))).ToList();
    }

    /// <summary>(log10 parameters, fit-scale value) of every run at <paramref name="lr"/> whose size passes the filter.</summary>
    public static List<(double X, double Y)> FitScale(IEnumerable<LadderPoint> points, LadderMetric metric, double lr, Func<ModelSize, bool> size) =>
        points.Where(p => p.Lr == lr && size(p.Size)).Select(p => (X: Math.Log10(p.Size.NonEmbeddingParams), Y: metric.ToFitScale(p[metric])))
            .Where(p => double.IsFinite(p.Y)).ToList();

    /// <summary>√(mean error²) over backtest points: the spread a size-to-size extrapolation has shown.</summary>
    public static double Rms(IEnumerable<BacktestPoint> points) =>
        points.Select(p => p.Error * p.Error).DefaultIfEmpty(double.NaN).Average() is var m ? Math.Sqrt(m) : double.NaN;

    /// <summary>The stated 95% half-width: √(fit half-width² + (2·backtest RMS)²). The fit's half-width holds the seed noise
    /// and the misfit among the fit sizes; the backtest term holds what extrapolating one size further has cost before.</summary>
    public static double StatedHalfWidth(double fitHalfWidth, double backtestRms) =>
        Math.Sqrt(fitHalfWidth * fitHalfWidth + 4 * backtestRms * backtestRms);

    /// <summary>The share of seed observations inside their stated interval, each point's interval widened by the RMS of
    /// the other points only (leave one out), so that no point vouches for itself.</summary>
    public static double LeaveOneOutCoverage(IReadOnlyList<BacktestPoint> points)
    {
        int inside = 0, total = 0;
        foreach (var p in points)
        {
            inside += p.Inside(Rms(points.Where(q => !ReferenceEquals(q, p))));
            total += p.Observed.Count;
        }
        return total == 0 ? double.NaN : (double)inside / total;
    }

    /// <summary>The median |error| of each family over the targets every family predicted (the same LRs, fit sizes and
    /// targets), so that no family is judged on easier targets.</summary>
    public static IReadOnlyDictionary<FitFamily, double> MedianErrorOnCommonTargets(IReadOnlyList<BacktestPoint> points)
    {
        var families = points.Select(p => p.Family).Distinct().ToList();
        var common = points.GroupBy(Key).Where(g => g.Select(p => p.Family).Distinct().Count() == families.Count).Select(g => g.Key).ToHashSet();
        return families.ToDictionary(f => f, f => Analysis.Median(points.Where(p => p.Family == f && common.Contains(Key(p))).Select(p => Math.Abs(p.Error))));
    }

    static (double, int, ModelSize) Key(BacktestPoint p) => (p.Lr, p.FitSizes, p.Target);
}
