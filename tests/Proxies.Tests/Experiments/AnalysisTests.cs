using Proxies.Experiments;
using Proxies.Model;
using Proxies.Training;

namespace Proxies.Tests.Experiments;

public class AnalysisTests
{
    static RunResult Run(int seed, double lr, double loss) => new()
    {
        RunId = $"{seed}-{lr}",
        Config = new TrainConfig { Variant = "v", Seed = seed, Lr = lr, Model = new ModelConfig { Width = 32 } },
        Values = new Dictionary<string, double> { ["final:eval_loss"] = loss, ["initial:eval_loss"] = 5.0, ["diverged"] = 0, ["params"] = 100 },
    };

    [Fact]
    public void TheBestLossAveragesEachSeedsBestAndTheBestLrIsTheSeedAveragedCurvesLowest()
    {
        // Seed 0: 2.0 at LR 0.01, 2.4 at 0.1 (best 2.0); seed 1: 2.5 at 0.01, 1.9 at 0.1 (best 1.9).
        // LRsens per seed: 0.2, 0.3 → 0.25. Best loss: (2.0 + 1.9)/2 = 1.95 (the pooled best run would say 1.9).
        // Seed-averaged curve: 2.25 at 0.01, 2.15 at 0.1 → best LR 0.1.
        var row = Analysis.LrSensitivityBySize([Run(0, 0.01, 2.0), Run(0, 0.1, 2.4), Run(1, 0.01, 2.5), Run(1, 0.1, 1.9)]).Single();
        Assert.Equal(0.25, row.LrSens, 12);
        Assert.Equal((0.2, 0.3), (Math.Round(row.Min, 12), Math.Round(row.Max, 12)));
        Assert.Equal(1.95, row.BestLoss, 12);
        Assert.Equal(0.1, row.BestLr);
    }
}
