using Proxies.Optimization;
using Proxies.Training.Hooks;
using Proxies.Training;
using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Tests.Training;

public class SpikeRestartTests : TorchTest
{
    [Fact]
    public void ASpikeRewindsWeightsOptimizerAndStepToTheSnapshotAtLeastRewindStepsBack()
    {
        // The first weight counts the steps (step + 1 after each); the loss is flat at 2 until step 65, which spikes to 5.
        // Snapshots every 20 steps (after steps 20, 40, 60): the restart goes back to the one before the latest, step 40,
        // records the spiking step with the step it went back to, and skips RestartSkip batches of data.
        var config = new TrainConfig
        {
            Model = new Proxies.Model.ModelConfig { Width = 32, Depth = 1, Heads = 1, SeqLen = 16 }, BatchSize = 4,
            SpikeRestart = 1.5, RestartRewind = 20, RestartSkip = 7,
        };
        using var state = new TrainState(config, CPU);
        var p = state.Groups[0].Parameter;
        using var restart = SpikeRestart.For(config)!;
        bool undone = false;
        for (int step = 0; step < 66 && !undone; step++)
        {
            state.Optimizer.Step(0, 1);                                   // no gradients: only the step count moves
            state.Step = step + 1;
            using (no_grad()) p.fill_(LiveScalar.Of(step + 1));
            undone = restart.Undo(new StepContext(state, step, probing: false),
                new Dictionary<string, double> { [RunSummary.Loss] = step == 65 ? 5.0 : 2.0 });
        }
        Assert.True(undone);
        Assert.Equal(40, state.Step);
        Assert.All(p.data<float>().ToArray(), v => Assert.Equal(40f, v));
        Assert.Equal(40, ((AdamW)state.Optimizer).StepCount);
        Assert.Equal(1, restart.Restarts);
        Assert.Equal(65, state.Curve.Values("step").Single());
        Assert.Equal(40, state.Curve.Values(SpikeRestart.RewoundTo).Single());
        Assert.Equal(7 * 4, state.Sampler.WindowsDrawn);
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
