using Proxies.Experiments;
using Proxies.Forecasting;

namespace Proxies.Claims;

/// <summary>
/// Notebook 13: the promise behind the paper's §3.3, that a trend measured on small models carries to a larger one,
/// judged on the held-out sizes the protocol never saw, with the held-out seeds as the noise. The trend is the straight
/// line in log–log (the simplest one that extrapolates); its rival is persistence, the largest fit size's value carried
/// over unchanged, which assumes size changes nothing.
/// </summary>
public static class ForecastClaims
{
    /// <summary>Per held-out seed: the median over held-out sizes and LRs of |observed − persistence| − |observed − line|, in
    /// the metric's fit scale; positive where the line lands closer.</summary>
    public static Claim TrendCarries(LadderMetric metric) => new($"13.trend-beats-persistence.{metric.Name}", ForecastStudy.ExperimentName,
        "a trend with model size fitted on small models predicts a larger model better than assuming size changes nothing",
        $"{metric.Name}, each seed's forecast fitted on that seed's fit-size runs: median over held-out sizes and LRs of |seed − persistence| − |seed − line|, {(metric.LogScale ? "log₁₀" : "nats")}",
        Direction.Positive, metric.LogScale ? Unit.Decades : Unit.Nats);

    /// <summary>The claim for the early max logit (at the window the protocol chose) and for the loss penalty.</summary>
    public static IReadOnlyList<ClaimResult> Judge(ForecastStudy study) =>
        [.. new[] { study.Report.Protocols[0].Metric, LadderMetric.LossPenalty }.Select(m => TrendCarries(m).Judge(PerSeed(study.Ladder, study.Points, m), rerun: null))];

    /// <summary><see cref="TrendCarries"/>'s statistic for each seed: the whole forecast replicated on that seed alone (its
    /// fit-size runs fitted, its held-out runs predicted), so that the seeds' spread is the spread of the protocol's
    /// result. (With every seed's fit shared, a seed above or below both predictions gains exactly line − persistence,
    /// whatever its value, and the spread would vanish.)</summary>
    public static IReadOnlyList<(int Seed, double? Value)> PerSeed(ForecastLadder ladder, IReadOnlyList<LadderPoint> points, LadderMetric metric)
    {
        var perSeed = new List<(int Seed, double? Value)>();
        foreach (var seed in points.Select(p => p.Seed).Distinct().Order())
        {
            var own = points.Where(p => p.Seed == seed).ToList();
            var gains = new List<double>();
            foreach (var lr in own.Select(p => p.Lr).Distinct())
            {
                var fit = Backtest.FitScale(own, metric, lr, ladder.Fit.Contains);
                if (fit.Select(p => p.X).Distinct().Count() < SizePredictor.SizesNeeded(FitFamily.Line)) continue;
                foreach (var size in ladder.HeldOut)
                {
                    double x = Math.Log10(size.NonEmbeddingParams);
                    double line = SizePredictor.Predict(FitFamily.Line, fit, x).Value, persistence = SizePredictor.Predict(FitFamily.Persistence, fit, x).Value;
                    gains.AddRange(Backtest.FitScale(own, metric, lr, s => s == size).Select(p => Math.Abs(p.Y - persistence) - Math.Abs(p.Y - line)));
                }
            }
            perSeed.Add((seed, gains.Count == 0 ? null : Analysis.Median(gains)));
        }
        return perSeed;
    }
}
