using Proxies.Model;
using Proxies.Probes;
using Proxies.Training;
using Proxies.Training.Hooks;
using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Tests.Training;

/// <summary>QK-Clip (Kimi K2): a head whose max logit S_max passed τ has W_q and W_k scaled by √(τ/S_max) each.</summary>
public class QkClipTests : TorchTest
{
    static double[] HeadMaxima(Transformer model, Tensor tokens)
    {
        var probe = new ForwardProbe();
        using (no_grad()) model.Forward(tokens, probe);
        return probe.HeadMaxLogits().to(ScalarType.Float64).data<double>().ToArray();
    }

    [Fact]
    public void AfterTheClipEveryHeadsMaxLogitOnTheBatchIsAtMostTauAndHeadsBelowItAreUntouched()
    {
        // One block, so that clipping one block cannot change another's inputs: on the same batch, the clipped head's
        // max logit becomes τ (its q and k each × √(τ/S)), the other head's stays what it was, bit for bit.
        using var generator = new Generator(5);
        using var model = new Transformer(new ModelConfig { Width = 16, Depth = 1, Heads = 2, SeqLen = 8, Vocab = 32, QkLayerNorm = false }, generator: generator);
        using (no_grad()) foreach (var p in model.Parameters().Where(p => p.Name.EndsWith("wqkv"))) p.Parameter.mul_(LiveScalar.Of(6));
        var tokens = randint(0, 32, new long[] { 2, 8 }, generator: generator);
        var before = HeadMaxima(model, tokens);
        Assert.NotEqual(before[0], before[1]);
        double tau = (before[0] + before[1]) / 2;
        int high = before[0] > tau ? 0 : 1;

        var probe = new ForwardProbe();
        using (no_grad()) model.Forward(tokens, probe);
        Assert.Equal(1, new QkClip(tau).Clip(model, probe.HeadMaxLogits()));
        var after = HeadMaxima(model, tokens);
        Assert.All(after, s => Assert.True(s <= tau * (1 + 1e-5), $"{s} > τ {tau}"));
        Assert.Equal(tau, after[high], tau * 1e-5);
        Assert.Equal(before[1 - high], after[1 - high]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ScalingAHeadsQueryAndKeyRowsByFScalesThatHeadsLogitsByFSquaredAndNoOtherHeads(int head)
    {
        // The rows QK-Clip scales are the head's own: W_q's and W_k's rows h·d_h to (h+1)·d_h. Scaling W_q alone, or the
        // wrong rows, would move the logits by f or move another head's.
        using var generator = new Generator(3);
        using var model = new Transformer(new ModelConfig { Width = 16, Depth = 1, Heads = 2, SeqLen = 8, Vocab = 32, QkLayerNorm = false }, generator: generator);
        var tokens = randint(0, 32, new long[] { 2, 8 }, generator: generator);
        var before = HeadMaxima(model, tokens);
        model.Blocks[0].ScaleQueryKey(head, 0.5);
        var after = HeadMaxima(model, tokens);
        Assert.Equal(0.25 * before[head], after[head], Math.Abs(before[head]) * 1e-5);
        Assert.Equal(before[1 - head], after[1 - head]);
    }

    [Fact]
    public void InTrainingTheClippedRunsHeadsStayNearTauWhileTheUnclippedOnesGrowPastIt()
    {
        var config = new TrainConfig
        {
            Model = new ModelConfig { Width = 32, Depth = 2, Heads = 2, SeqLen = 16, QkLayerNorm = false }, BatchSize = 4, Steps = 60,
            WarmupSteps = 6, Lr = 0.1, ProbeEvery = 1,
        };
        const double tau = 8;
        // Each probe reads the logits of the step's batch before that step's update, one update and a new batch after the
        // last clip: at this LR, on a model this small, one AdamW step can lift a head's max logit by half again, so the
        // clipped run is held near τ, not under it; the unclipped one keeps growing.
        static double[] Maxima(Curve curve) => curve.Rows.Select(r => r.Where(kv => kv.Key.StartsWith("attn_head_logit_max/")).Max(kv => kv.Value)).ToArray();
        var (_, free) = Trainer.Run(config);
        var (_, clipped) = Trainer.Run(config with { QkClip = tau });
        var (f, c) = (Maxima(free), Maxima(clipped));
        string shown = $"free: {string.Join(" ", f.Select(x => x.ToString("F1")))}\nclipped: {string.Join(" ", c.Select(x => x.ToString("F1")))}";
        Assert.True(f[^20..].Min() > 3 * tau, shown);
        Assert.True(c[^20..].Max() < 1.5 * tau, shown);
        Assert.True(c.Max() < 2.5 * tau, shown);
        Assert.Contains(clipped.Rows, r => r[QkClip.ClippedName] > 0);
    }

    [Fact]
    public void QkClipWithQkLayerNormIsRefusedBeforeTheRun()
    {
        var errors = ConfigValidation.Check(new TrainConfig { QkClip = 100 });
        Assert.Contains(errors, e => e.Flag == "--qk-clip" && e.Allowed.Contains("--qk-layernorm off"));
        Assert.DoesNotContain(ConfigValidation.Check(new TrainConfig { QkClip = 100, Model = new ModelConfig { QkLayerNorm = false } }), e => e.Flag == "--qk-clip");
    }
}
