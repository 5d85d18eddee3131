using Proxies.Experiments;
using Proxies.Forecasting;
using Proxies.Training;

namespace Proxies.Tests.Forecasting;

public class ForecastTests
{
    [Fact]
    public void TheLineAndItsPredictionIntervalMatchTheHandComputedValues()
    {
        // x̄ = 1.5, Sxx = 5, Sxy = 8.5: slope 1.7, intercept 1.2; residuals −0.2, 0.1, 0.4, −0.3: s = √(0.30 / 2).
        var fit = PolynomialFit.LeastSquares([(0, 1), (1, 3), (2, 5), (3, 6)], 1);
        var c = fit.Coefficients();
        Assert.Equal(1.2, c[0], 12);
        Assert.Equal(1.7, c[1], 12);
        Assert.Equal(Math.Sqrt(0.15), fit.ResidualSd, 12);
        // At x = 4: s·√(1 + 1/4 + (4 − 1.5)²/5) = s·√2.5.
        Assert.Equal(Math.Sqrt(0.15) * Math.Sqrt(2.5), fit.NewObservationSe(4), 12);
    }

    [Fact]
    public void TheQuadraticRecoversAnExactParabolaFarFromTheOrigin()
    {
        static double Y(double x) => 3 - 2 * x + 0.25 * x * x;
        var c = PolynomialFit.LeastSquares(new[] { 4.1, 4.9, 5.6, 6.3 }.Select(x => (x, Y(x))).ToList(), 2).Coefficients();
        Assert.Equal(3, c[0], 8);
        Assert.Equal(-2, c[1], 8);
        Assert.Equal(0.25, c[2], 9);
    }

    [Fact]
    public void PersistenceIsTheLargestSizesSeedMeanWithATInterval()
    {
        var p = SizePredictor.Predict(FitFamily.Persistence, [(4, 9), (5, 1), (5, 2), (5, 3)], 6);
        Assert.Equal(2, p.Value, 12);
        // sd 1 over 3 seeds: t(2) = 4.303, × √(1 + 1/3).
        Assert.Equal(4.303 * Math.Sqrt(4.0 / 3), p.FitHalfWidth, 9);
    }

    [Fact]
    public void TheCrossingIsWhereADecreasingFunctionReachesZero()
    {
        Assert.Equal(7.5, Forecast.Crossing(x => 15 - 2 * x, 5), 9);
        Assert.Equal(5, Forecast.Crossing(x => -1, 5));
        Assert.Equal(double.PositiveInfinity, Forecast.Crossing(x => 1 + x, 5));
    }

    /// <summary>A ladder whose metric is an exact power law of the parameters at every LR: the line's backtest error is
    /// zero, so the protocol picks it over persistence, and a quadratic ties at best and loses the tie.</summary>
    [Fact]
    public void ARollingBacktestOnAnExactPowerLawChoosesTheLine()
    {
        var ladder = ForecastLadder.For(Profile.Quick);
        var metric = LadderMetric.GradRms("embed");
        var points = ladder.Fit.Concat(ladder.HeldOut).SelectMany(size => new[] { 0.01, 0.1 }.SelectMany(lr => new[] { 0, 1, 2 }.Select(seed =>
            new LadderPoint(size, lr, seed, new Dictionary<string, double>
            {
                [metric.Name] = lr * Math.Pow(size.NonEmbeddingParams, -0.8),
                [LadderTable.FinalLoss] = 3 + lr,
            })))).ToList();
        var protocol = Protocol.Fix(points.Where(p => ladder.Fit.Contains(p.Size)).ToList(), metric, ladder.Fit);
        Assert.Equal(FitFamily.Line, protocol.Family);
        Assert.True(protocol.MedianError[FitFamily.Persistence] > 0.1);
        Assert.Equal(0, protocol.Rms, 9);
        // Fit sizes 1..k predict k+1 and k+2: with six sizes a line fits k = 2..5, 2 + 2 + 2 + 1 targets per LR.
        Assert.Equal(2 * (2 + 2 + 2 + 1), protocol.Backtest.Count(p => p.Family == FitFamily.Line));
        var held = Backtest.Predictions(points, metric, FitFamily.Line, ladder.Fit.ToList(), ladder.HeldOut).ToList();
        Assert.All(held, p => Assert.Equal(p.ObservedMean, p.Predicted, 9));
        Assert.All(LadderTable.WithPenalty(points).Where(p => p.Lr == 0.1), p => Assert.Equal(0.09, p[LadderMetric.LossPenalty], 12));
    }

    /// <summary>A window where the logit has barely moved (LRs 0.01 decades apart) is the easiest to predict in raw error
    /// and says nothing; one where LRs are a decade apart, with a larger size-to-size wiggle, is chosen by error over spread.</summary>
    [Fact]
    public void TheLogitWindowIsChosenByErrorRelativeToItsSpreadAcrossLrs()
    {
        var ladder = ForecastLadder.For(Profile.Quick);
        var sizes = ladder.Fit.OrderBy(s => s.NonEmbeddingParams).ToList();
        double Log10(double window, ModelSize size, double lr)
        {
            double wiggle = sizes.IndexOf(size) % 2 == 0 ? 1 : -1;
            return window switch
            {
                0.02 => 0.6 + 0.01 * Math.Log10(lr) + 0.005 * wiggle,
                0.2 => 1 + Math.Log10(lr) + 0.02 * wiggle,
                _ => 1 + Math.Log10(lr) + 0.1 * wiggle,
            };
        }
        var points = sizes.SelectMany(size => new[] { 0.01, 0.1 }.SelectMany(lr => new[] { 0, 1, 2 }.Select(seed =>
            new LadderPoint(size, lr, seed, LadderMetric.LogitWindows.ToDictionary(w => LadderMetric.EarlyMaxLogit(w).Name, w => Math.Pow(10, Log10(w, size, lr))))))).ToList();
        var (chosen, scores) = Protocol.FixLogitWindow(points, ladder.Fit);
        Assert.Equal(LadderMetric.EarlyMaxLogit(0.2).Name, chosen.Metric.Name);
        var raw = scores.ToDictionary(w => w.Metric);
        Assert.True(raw["max_logit_2pct"].MedianError < raw["max_logit_20pct"].MedianError);
        // The spread across LRs at the largest fit size: SD of the two LRs' values, |Δ|/√2.
        Assert.Equal(1 / Math.Sqrt(2), raw["max_logit_20pct"].SpreadAcrossLrs, 9);
        Assert.Equal(0.01 / Math.Sqrt(2), raw["max_logit_2pct"].SpreadAcrossLrs, 9);
    }

    [Fact]
    public void ACrossingThroughNaNIsNaN() => Assert.True(double.IsNaN(Forecast.Crossing(x => x > 7 ? double.NaN : 10 - x, 5)));

    [Fact]
    public void TheScaledDownLadderIsTheCommittedLogitLadder()
    {
        var ladder = ForecastLadder.For(Profile.Quick);
        var planned = new TrainConfig { Model = new Proxies.Model.ModelConfig { Width = 512, Depth = 8, Heads = 16, QkLayerNorm = false } };
        var committed = Variant.QkLnOff.Of(Ladder.For(Profile.Quick).Base((64, 3, 2), 0.1) with { Seed = 2 });
        Assert.Equal(committed.RunId, ladder.ScaleDown(planned, new ModelSize(64, 3, 2), 0.1, 2).RunId);
        Assert.Null(ladder.Refusal(planned));
        Assert.Contains("head dim", ladder.Refusal(planned with { Model = planned.Model with { Heads = 8 } }));
        Assert.Contains("nothing to extrapolate", ladder.Refusal(planned with { Model = planned.Model with { Width = 64, Depth = 2, Heads = 2 } }));
        Assert.True(ladder.HeldOut[^1].NonEmbeddingParams >= 4 * ladder.Fit.Max(s => s.NonEmbeddingParams));
    }
}

public class ForecastStudyTests
{
    /// <summary>The smoke ladder trained for real (4 fit sizes and 1 held-out × 2 LRs × 2 seeds, 40 steps), forecast for a
    /// size ten times the largest fitted, and written as CSV.</summary>
    [Fact]
    public void ASmokeForecastTrainsItsLadderAndReportsEveryMetric()
    {
        var root = Directory.CreateTempSubdirectory().FullName;
        var planned = new TrainConfig { Model = new Proxies.Model.ModelConfig { Width = 256, Depth = 4, Heads = 8, QkLayerNorm = false } };
        var study = ForecastStudy.Run(planned, [1e-2, 3e-1], Profile.Smoke, root, ForecastStudy.DefaultTolerance, heldOut: true,
            new Proxies.Sweeps.InProcessExecutor("cpu", 2));
        Assert.Equal(20, study.Points.Count);
        var report = study.Report;
        Assert.Equal(2 + 2 * LadderMetric.Layers.Length, report.Rows.Count(r => r.Metric != LadderMetric.LossPenalty.Name && r.Metric != LadderMetric.HeadMuDrift.Name));
        Assert.All(report.Rows, r => Assert.True(r.Low <= r.Value && r.Value <= r.High || double.IsNaN(r.Low), $"{r.Metric} at {r.Lr}: {r.Value} outside [{r.Low}, {r.High}]"));
        Assert.Equal(2 * LadderMetric.Layers.Length, report.Crossovers.Count);
        Assert.NotEmpty(report.HeldOut);
        var files = ForecastTables.Write(Path.Combine(root, "report"), report);
        Assert.All(files, f => Assert.True(new FileInfo(f).Length > 0));
        Assert.Contains("loss_penalty", File.ReadAllText(files[1]));
    }
}
