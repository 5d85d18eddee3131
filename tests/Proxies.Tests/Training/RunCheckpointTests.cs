using Proxies.Data;
using Proxies.Model;
using Proxies.Probes;
using Proxies.Training;

namespace Proxies.Tests.Training;

/// <summary>A run stopped mid-way and resumed from its checkpoint ends exactly as the run it continues: weights, AdamW
/// moments and step, the position in the batch stream, the curve and the initial values all carry over.</summary>
public class RunCheckpointTests : TorchTest
{
    static readonly TrainConfig Small = new()
    {
        Model = new ModelConfig { Width = 32, Depth = 2, Heads = 2, SeqLen = 32 },
        BatchSize = 8, Steps = 30, WarmupSteps = 3, Lr = 0.01, ProbeEvery = 4, EvalEvery = 8,
    };

    static string NewPath() => Path.Combine(Directory.CreateTempSubdirectory("proxies-ckpt-").FullName, "run.ckpt");

    [Fact]
    public void AStoppedRunGoesOnFromItsCheckpointToTheUninterruptedResultBitForBit()
    {
        var (reference, referenceCurve) = Trainer.Run(Small);

        // Stop the run during step 24: the last checkpoint is the one written after step 19 (every 10 steps).
        var checkpoint = new RunCheckpoint(NewPath(), every: 10);
        using var stop = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() => Trainer.Run(Small, cancel: stop.Token, checkpoint: checkpoint,
            afterStep: (step, _) => { if (step == 24) stop.Cancel(); }));
        Assert.True(File.Exists(checkpoint.Path));
        Assert.Null(checkpoint.ResumedAt);

        var resumedCheckpoint = new RunCheckpoint(checkpoint.Path, every: 10);
        int firstStepAfterResume = -1;
        var (resumed, resumedCurve) = Trainer.Run(Small, checkpoint: resumedCheckpoint,
            afterStep: (step, _) => { if (firstStepAfterResume < 0) firstStepAfterResume = step; });
        Assert.Equal(20, resumedCheckpoint.ResumedAt);
        Assert.Equal(20, firstStepAfterResume);

        foreach (var (name, value) in reference.Values)
            if (name is not (RunSummary.WallSeconds or RunSummary.MsPerStep))
                Assert.True(value.Equals(resumed[name]), $"{name}: uninterrupted {value:R}, resumed {resumed[name]:R}");
        Assert.Equal(Small.Steps, resumed.StepsDone);
        Assert.Equal(referenceCurve.Columns, resumedCurve.Columns);
        Assert.Equal(referenceCurve.Table(), resumedCurve.Table());
    }

    [Fact]
    public void ACheckpointOfAnotherRunIsRefusedNamingWhatToDo()
    {
        var checkpoint = new RunCheckpoint(NewPath(), every: 5);
        Trainer.Run(Small with { Steps = 12 }, checkpoint: checkpoint);   // leaves the one written after step 9
        Assert.True(File.Exists(checkpoint.Path));
        var other = Small with { Seed = 3 };
        var e = Assert.Throws<IOException>(() => Trainer.Run(other, checkpoint: new RunCheckpoint(checkpoint.Path, 5)));
        Assert.Contains($"not {other.RunId}", e.Message);
        Assert.Contains("delete it", e.Message);
    }

    [Fact]
    public void CheckpointsAreDueEveryNStepsButNotAfterTheLast()
    {
        var c = new RunCheckpoint("unused", every: 10);
        Assert.Equal(new[] { 9, 19 }, Enumerable.Range(0, 30).Where(s => c.Due(s, 30)));
        Assert.DoesNotContain(Enumerable.Range(0, 30), s => new RunCheckpoint("unused", 0).Due(s, 30));
    }

    [Fact]
    public void SkippingWindowsReachesTheSameBatchAsDrawingThem()
    {
        var stream = Enumerable.Range(0, 5000).Select(i => i % 251).ToArray();
        var drawn = new BatchSampler(stream, 4, 16, seed: 5);
        for (int i = 0; i < 7; i++) drawn.Next(TorchSharp.torch.CPU);
        var skipped = new BatchSampler(stream, 4, 16, seed: 5);
        skipped.SkipWindows(drawn.WindowsDrawn);
        Assert.Equal(28, skipped.WindowsDrawn);
        Assert.Equal(drawn.Next(TorchSharp.torch.CPU).Inputs.data<long>().ToArray(), skipped.Next(TorchSharp.torch.CPU).Inputs.data<long>().ToArray());
    }
}
