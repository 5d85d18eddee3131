using Proxies.Optimization;
using Proxies.Training;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Proxies.Tests.Training;

public class SpikeRestartTests : TorchTest
{
    [Fact]
    public void ASpikeRewindsWeightsAndOptimizerToTheCheckpointAtLeastRewindStepsBack()
    {
        // θ counts the steps (θ = step + 1 after each); the loss is flat at 2 until step 65, which spikes to 5. Checkpoints
        // every 20 steps (after steps 20, 40, 60): the restart goes back to the one before the latest, step 40.
        var p = new Parameter(zeros(1));
        var groups = new[] { new ParameterGroup("w", p, ParameterKind.Linear, 1, 1) };
        using var adam = new AdamW(groups, weightDecay: 0);
        var config = new TrainConfig { SpikeRestart = 1.5, RestartRewind = 20 };
        using var restart = new SpikeRestart(config, groups, adam);
        int? rewound = null;
        for (int step = 0; step < 66 && rewound is null; step++)
        {
            p.grad = ones(1);
            adam.Step(0, 1);                                   // LR 0: only the moments and the step count move
            using (no_grad()) p.fill_(step + 1);
            rewound = restart.After(step, step == 65 ? 5.0 : 2.0);
        }
        Assert.Equal(40, rewound);
        Assert.Equal(40f, p.item<float>());
        Assert.Equal(40, adam.StepCount);
        Assert.Equal(1, restart.Restarts);
    }

    [Fact]
    public void WithoutASpikeTheRunIsTheSameAsWithoutSkipAndRestart()
    {
        var plain = new TrainConfig { Model = new Proxies.Model.ModelConfig { Width = 32, Depth = 1, Heads = 1, SeqLen = 16 }, BatchSize = 4, Steps = 30, WarmupSteps = 3, ProbeEvery = 10 };
        var (a, _) = Trainer.Run(plain);
        var (b, curve) = Trainer.Run(plain with { SpikeRestart = 100, RestartRewind = 5 });   // no loss is 100× its average
        Assert.Equal(a.FinalEvalLoss, b.FinalEvalLoss);
        Assert.False(curve.Has(SpikeRestart.RewoundTo));
    }
}
