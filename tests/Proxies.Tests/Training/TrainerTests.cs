using Proxies.Model;
using Proxies.Results;
using Proxies.Training;

namespace Proxies.Tests.Training;

/// <summary>Real training on the Brown corpus (bytes), small enough for CI.</summary>
public class TrainerTests : TorchTest
{
    static readonly TrainConfig Small = new()
    {
        Model = new ModelConfig { Width = 64, Depth = 2, Heads = 2, SeqLen = 64 },
        BatchSize = 32, Steps = 150, WarmupSteps = 15,
    };

    [Fact]
    public void AttentionLogitsGrowWithoutQkLayerNormAtHighLr()
    {
        // The paper's Fig 1/2 mechanism at CPU scale (docs/science/attention-logit-growth.md): at LR 0.3 without qk-LN the max attention
        // logit grows by orders of magnitude and the loss is worse than with qk-LN.
        var (without, _) = Trainer.Run(Small with { Lr = 0.3, Model = Small.Model with { QkLayerNorm = false } });
        var (with, _) = Trainer.Run(Small with { Lr = 0.3 });
        Assert.True(without.MaxAttnLogit > 100 * with.MaxAttnLogit,
            $"max attention logit without qk-LN {without.MaxAttnLogit:G3}, with {with.MaxAttnLogit:G3}");
        Assert.True(without.FinalEvalLoss > with.FinalEvalLoss + 0.1,
            $"eval loss without qk-LN {without.FinalEvalLoss:F3}, with {with.FinalEvalLoss:F3}");
        Assert.True(with.FinalEvalLoss < with.InitialLoss - 2, "the qk-LN run must learn");
    }

    [Fact]
    public void SameSeedGivesBitwiseSameLossesOnOneThread()
    {
        var config = Small with { Steps = 20, WarmupSteps = 2 };
        var (a, curveA) = Trainer.Run(config);
        var (b, curveB) = Trainer.Run(config);
        Assert.Equal(curveA.Values("loss"), curveB.Values("loss"));
        Assert.Equal(a.FinalEvalLoss, b.FinalEvalLoss);
        Assert.Equal(a.RunId, b.RunId);
        var (c, _) = Trainer.Run(config with { Seed = 1 });
        Assert.NotEqual(a.FinalEvalLoss, c.FinalEvalLoss);
        Assert.NotEqual(a.RunId, c.RunId);
    }

    [Fact]
    public void NonFiniteLossIsRecordedAsDivergenceNotACrash()
    {
        // An LR of 1e30 overflows the weights after the first update.
        var (r, curve) = Trainer.Run(Small with { Lr = 1e30, MinLr = 0, Steps = 30, WarmupSteps = 0, ClipNorm = 1e30 });
        Assert.True(r.Diverged);
        Assert.InRange(r.DivergedStep, 1, 29);
        Assert.Equal(r.DivergedStep + 1, r.StepsDone);
        Assert.True(double.IsNaN(r.FinalEvalLoss));
        Assert.Equal(r.StepsDone, curve.Count);

        // Between probes the loss is still read every step: the same run probed every 7 steps diverges at the same step.
        var (sparse, sparseCurve) = Trainer.Run(Small with { Lr = 1e30, MinLr = 0, Steps = 30, WarmupSteps = 0, ClipNorm = 1e30, ProbeEvery = 7 });
        Assert.Equal(r.DivergedStep, sparse.DivergedStep);
        Assert.Equal(r.DivergedStep, sparseCurve.Values("step").Last());
        Assert.False(double.IsFinite(sparseCurve.Values("loss").Last()) && double.IsFinite(sparseCurve.Values("grad_norm").Last()));
    }

    [Fact]
    public void ProbesEveryKStepsAndResultRoundTripsThroughRunsCsv()
    {
        var (r, curve) = Trainer.Run(Small with { Steps = 20, WarmupSteps = 2, ProbeEvery = 5, EvalEvery = 10 });
        Assert.Equal(new double[] { 0, 5, 10, 15, 19 }, curve.Values("step"));
        Assert.False(double.IsNaN(curve.Values("eval_loss").ElementAt(2)));     // step 10
        Assert.Equal(r.FinalEvalLoss, curve.Values("eval_loss").Last());
        Assert.All(curve.Values("grad_rms/blocks.1.w1"), v => Assert.True(v > 0));
        Assert.All(curve.Values("update_rms/head"), v => Assert.True(v > 0));
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "runs.csv");
        RunsTable.Upsert(path, r);
        RunsTable.Upsert(path, r);                                              // same run: replaced, not duplicated
        var back = Assert.Single(RunsTable.Read(path));
        Assert.Equal(r.RunId, back.RunId);
        Assert.Equal(r.Values, back.Values);
        Assert.Equal(r.Config, back.Config);
    }
}
