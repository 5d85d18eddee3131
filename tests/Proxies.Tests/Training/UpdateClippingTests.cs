using Proxies.Model;
using Proxies.Training;
using Proxies.Training.Hooks;
using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Tests.Training;

public class UpdateClippingTests : TorchTest
{
    [Fact]
    public void AnUpdateAboveMeanPlusKSigmaIsScaledOntoTheBoundDirectionKept()
    {
        // Norms 1, 2, 1, 2, … (16 of them: mean 1.5, σ 0.5), k = 2: the bound is 2.5. An update of norm 10 along
        // (3, 4)/5 becomes norm 2.5 along the same direction; one of norm 2 passes untouched.
        var hook = new UpdateClipping(2);
        var w = zeros(2);
        for (int i = 0; i < UpdateClipping.Warmup; i++)
        {
            hook.Keep([w]);
            w.PlusInPlace(tensor(new float[] { i % 2 == 0 ? 1f : 2f, 0f }));
            hook.Cap([w]);
        }
        Assert.Equal(2.5, hook.Bound, 12);
        var start = w.clone();
        hook.Keep([w]);
        w.PlusInPlace(tensor(new float[] { 6f, 8f }));
        hook.Cap([w]);
        var step = (w - start).data<float>().ToArray();
        Assert.Equal(2.5 * 0.6, step[0], 5);
        Assert.Equal(2.5 * 0.8, step[1], 5);

        var before = w.clone();
        hook.Keep([w]);
        w.PlusInPlace(tensor(new float[] { 0f, 2f }));
        hook.Cap([w]);
        Assert.Equal(2f, (w - before).data<float>()[1], 6);
    }

    [Fact]
    public void InTrainingNoAppliedUpdateExceedsItsBoundAndSomeAreCapped()
    {
        var config = new TrainConfig
        {
            // The update grows with the LR through the warm-up, so its norm runs ahead of its window's mean.
            Model = new ModelConfig { Width = 32, Depth = 1, Heads = 1, SeqLen = 16 }, BatchSize = 4, Steps = 60, WarmupSteps = 40,
            Lr = 0.1, ProbeEvery = 1, UpdateClip = 0.5,
        };
        var (result, curve) = Trainer.Run(config);
        var rows = curve.Rows.Where(r => r.ContainsKey(UpdateClipping.BoundName) && double.IsFinite(r[UpdateClipping.BoundName])).ToList();
        Assert.Equal(config.Steps - UpdateClipping.Warmup, rows.Count);
        Assert.All(rows, r => Assert.True(r[UpdateClipping.NormName] <= r[UpdateClipping.BoundName] * (1 + 1e-5),
            $"step {r["step"]}: applied {r[UpdateClipping.NormName]} above the bound {r[UpdateClipping.BoundName]}"));
        Assert.Contains(rows, r => r[UpdateClipping.RawNormName] > r[UpdateClipping.BoundName]);
    }
}
