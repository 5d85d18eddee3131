using Proxies.Cli;
using Proxies.Model;
using Proxies.Training;

namespace Proxies.Tests.Cli;

public class TimeEstimateTests
{
    [Fact]
    public void SecondsAreTheRunsCostAtTheAssumedShareOfAWorkersRatePlusStartUp()
    {
        // Width 64, 2 layers, batch 32 × seq 64: 1,610,612,736 FLOP per step (FlopsTests), + 3e8 per layer = 2,210,612,736;
        // 100 steps: 221,061,273,600 per run, two runs 442,122,547,200. At 100 GFLOP/s × 0.45: 9.824945493 s, + 1 s per run
        // = 11.824945493 s on one worker, half that on two, and no less on four (two runs keep two busy).
        var run = new TrainConfig { Model = new ModelConfig { Width = 64, Depth = 2, Heads = 2, SeqLen = 64 }, BatchSize = 32, Steps = 100 };
        TrainConfig[] runs = [run, run with { Seed = 1 }];
        Assert.Equal(0.45, TimeEstimate.EfficiencyOfPeak);
        Assert.Equal(11.824945493, TimeEstimate.Seconds(runs, 100, 1), 1e-8);
        Assert.Equal(5.9124727467, TimeEstimate.Seconds(runs, 100, 2), 1e-8);
        Assert.Equal(5.9124727467, TimeEstimate.Seconds(runs, 100, 4), 1e-8);
    }
}
