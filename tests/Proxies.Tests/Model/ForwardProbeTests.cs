using Proxies.Model;
using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Tests.Model;

public class ForwardProbeTests : TorchTest
{
    [Fact]
    public void MaxLogitIsOverCausalPairsOnly()
    {
        // One batch, one head, T = 3, d_h = 2. Hand-made q and k: the largest product is a future pair
        // (i=0, j=2: 10·100) and must be ignored; the largest causal pair is (i=2, j=1): ⟨(0,3),(2,1)⟩ = 3,
        // scaled by 0.5 → 1.5.
        var q = tensor(new float[] { 10, 0, 0, 1, 0, 3 }).reshape(1, 1, 3, 2);
        var k = tensor(new float[] { 0, 0, 2, 1, 100, 0 }).reshape(1, 1, 3, 2);
        var probe = new ForwardProbe();
        probe.Record(q, k, 0.5);
        var row = probe.Stacked()[0].data<float>().ToArray();
        Assert.Equal(1.5, row[0], 5);                              // max causal logit
        Assert.Equal(3.0, row[1], 5);                              // ‖q_2‖
        Assert.Equal(Math.Sqrt(5), row[2], 5);                     // ‖k_1‖
        Assert.Equal(3 / (3 * Math.Sqrt(5)), row[3], 5);           // cosine of the pair
    }

    [Fact]
    public void TheCausalMaskSetsOnlyFuturePairsToMinusInfinityAndPassesGradientsToThePast()
    {
        var logits = arange(LiveScalar.Of(0), LiveScalar.Of(9), LiveScalar.Of(1), dtype: float32).reshape(3, 3).requires_grad_(true);
        var masked = CausalMask.Apply(logits);
        var values = masked.detach().data<float>().ToArray();
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                Assert.Equal(j > i ? float.NegativeInfinity : 3 * i + j, values[3 * i + j]);
        // The mask is disposed inside Apply; backward still needs it: past pairs get gradient 1, future pairs 0.
        masked.masked_select(masked.isfinite()).sum().backward();
        Assert.Equal(new float[] { 1, 0, 0, 1, 1, 0, 1, 1, 1 }, logits.grad!.data<float>().ToArray());
    }

    [Fact]
    public void ActivationSizesAreMeanAbsAndRmsAgainstFloat64()
    {
        // x = (3, −4, 0, 1): mean |x| = 2, RMS = √(26/4).
        var probe = new ForwardProbe();
        probe.RecordActivation("block_out/0", tensor(new float[] { 3, -4, 0, 1 }).reshape(1, 2, 2));
        var values = probe.Scalars().Read();
        Assert.Equal(2.0, values["act_abs/block_out/0"], 6);
        Assert.Equal(Math.Sqrt(26.0 / 4), values["act_rms/block_out/0"], 6);
    }

    [Fact]
    public void AForwardPassRecordsEveryActivationByName()
    {
        using var model = new Transformer(new ModelConfig { Width = 8, Depth = 2, Heads = 1, SeqLen = 4, Vocab = 11 });
        var probe = new ForwardProbe();
        var logits = model.Forward(tensor(new long[] { 1, 2, 3, 4 }).reshape(1, 4), probe);
        var values = probe.Scalars().Read();
        foreach (var name in new[] { "embed", "attn_out/0", "mlp_out/0", "block_out/0", "attn_out/1", "mlp_out/1", "block_out/1", "logits" })
            Assert.True(values[ForwardProbe.MeanAbs(name)] > 0, name);
        var y = logits.to(ScalarType.Float64).data<double>().ToArray();
        // float32 sums against a float64 mean: equal to a few float32 roundings, relative.
        Assert.InRange(Math.Abs(values[ForwardProbe.MeanAbs("logits")] / y.Average(Math.Abs) - 1), 0, 1e-6);
    }
}
