using Proxies.Experiments;
using Proxies.Model;
using Proxies.Probes;
using Proxies.Results;
using Proxies.Training;

namespace Proxies.Tests.Experiments;

public class LogitPredictionTests
{
    // Per LR, log10 of the early max logit is an exact quadratic in x = log10(params): y = A + B·x + C·x².
    static double Y(double lr, double x) => lr < 0.05 ? -3 + 0.5 * x + 0.05 * x * x : -9 + 2 * x + 0.1 * x * x;

    static readonly long[] Params = [10_000, 25_000, 100_000, 150_000, 330_000, 790_000];

    /// <summary>A results folder of the quick plan with synthetic curves: block 0's logit is 10^Y at step 60 (20% of 300),
    /// larger still at step 65 (after the measuring window) and a tenth of it elsewhere. The held-out size is observed at 3×
    /// its prediction.</summary>
    static (ResultsStore Store, List<RunResult> Runs) SyntheticFolder()
    {
        var store = new ResultsStore(Directory.CreateTempSubdirectory().FullName, "logit-prediction");
        var sizes = LogitPrediction.Sizes(Profile.Quick);
        var widthDepth = sizes.Fit.Append(sizes.HeldOut).Select(s => (s.Width, s.Depth)).ToList();
        var runs = new List<RunResult>();
        foreach (var config in LogitPrediction.Runs(Profile.Quick).Where(c => c.Lr is 0.01 or 0.1))
        {
            int index = widthDepth.IndexOf((config.Model.Width, config.Model.Depth));
            long p = Params[index];
            double early = Math.Pow(10, Y(config.Lr, Math.Log10(p))) * (index == widthDepth.Count - 1 ? 3 : 1);
            var curve = new Curve();
            foreach (int step in new[] { 0, 30, 60, 65, 299 })
                curve.Add(new Dictionary<string, double> { ["step"] = step, [ForwardProbe.BlockMaxLogit(0)] = step == 60 ? early : step == 65 ? 100 * early : early / 10 });
            var run = new RunResult
            {
                RunId = config.RunId, Config = config,
                Values = new Dictionary<string, double> { [RunSummary.Params] = p, [RunSummary.Final(RunSummary.EvalLoss)] = 2.5, [RunSummary.Diverged] = 0 },
            };
            store.Record(run, curve);
            runs.Add(run);
        }
        return (store, runs);
    }

    [Fact]
    public void TheEarlyLogitIsTheMaxUpToAFifthOfTraining()
    {
        var (store, runs) = SyntheticFolder();
        var run = runs.First(r => r.Params == Params[0] && r.Config.Lr == 0.01);
        Assert.Equal(60, LogitPrediction.MeasuredUntil(run.Config));
        Assert.Equal(Math.Pow(10, Y(0.01, 4)), LogitPrediction.EarlyMaxLogit(store, run), 9);
    }

    [Fact]
    public void ThePredictionIsTheFitExtrapolatedToTheHeldOutSize()
    {
        var (store, runs) = SyntheticFolder();
        var rows = LogitPrediction.Predict(store, runs, Profile.Quick);
        Assert.Equal(new[] { 0.01, 0.1 }, rows.Select(r => r.Lr));
        foreach (var row in rows)
        {
            double expected = Math.Pow(10, Y(row.Lr, Math.Log10(Params[^1])));
            Assert.Equal(1, row.PredictedMaxLogit / expected, 9);
            Assert.Equal(3, row.ObservedMaxLogit / expected, 9);
            Assert.Equal(row.PredictedMaxLogit > 1e4, row.PredictedAbove);
        }
        // LR 0.01: 10^(−3 + 0.5·5.9 + 0.05·5.9²) ≈ 49, below 1e4; LR 0.1: 10^(−9 + 2·5.9 + 0.1·5.9²) ≈ 1.9e6, above.
        Assert.Equal(0.1, LogitPrediction.FirstLrAbove(rows, predicted: true));

        var path = LogitPrediction.Write(store, rows);
        var table = Csv.Parse(File.ReadAllText(path));
        Assert.Equal(["size", "width", "depth", "params", "lr", "predicted_max_logit", "observed_max_logit"], table[0].Take(7));
        Assert.Equal(3, table.Count);
        Assert.Equal(rows[1].PredictedMaxLogit, Csv.ParseDouble(table[2][5]), 6);
    }
}
