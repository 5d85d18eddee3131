using Proxies.Model;
using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Tests.Model;

public class AttentionSoftCapTests : TorchTest
{
    [Fact]
    public void CappedAttentionMatchesAFloat64Reference()
    {
        // T = 3, d_h = 2, scale 1/√2, c = 2: z_ij = ⟨q_i, k_j⟩/√2, z ← 2·tanh(z/2), p_i = softmax over j ≤ i, y_i = Σ p_ij v_j.
        double[][] q = [[3, -1], [0.5, 2], [-2, 4]], k = [[1, 2], [-3, 0.5], [2, 2]], v = [[1, 0], [0, 1], [5, -5]];
        double scale = 1 / Math.Sqrt(2), cap = 2;
        var expected = new double[3, 2];
        for (int i = 0; i < 3; i++)
        {
            var z = Enumerable.Range(0, i + 1).Select(j => cap * Math.Tanh(scale * (q[i][0] * k[j][0] + q[i][1] * k[j][1]) / cap)).ToArray();
            var p = z.Select(Math.Exp).ToArray();
            double sum = p.Sum();
            for (int j = 0; j <= i; j++) for (int c = 0; c < 2; c++) expected[i, c] += p[j] / sum * v[j][c];
        }
        Tensor Of(double[][] rows) => tensor(rows.SelectMany(r => r.Select(x => (float)x)).ToArray()).reshape(1, 1, 3, 2);
        var y = AttentionSoftCap.Apply(Of(q), Of(k), Of(v), scale, cap).data<float>().ToArray();
        for (int i = 0; i < 3; i++) for (int c = 0; c < 2; c++) Assert.Equal(expected[i, c], y[2 * i + c], 5);
    }

    [Fact]
    public void EveryCappedLogitIsBelowTheCapWhileTheRawLogitsAreFarAboveIt()
    {
        using var generator = new Generator(3);
        var q = randn(new long[] { 2, 4, 16, 32 }, generator: generator) * LiveScalar.Of(5);
        var k = randn(new long[] { 2, 4, 16, 32 }, generator: generator) * LiveScalar.Of(5);
        double scale = 1 / Math.Sqrt(32), cap = 30;
        var raw = ForwardProbe.CausalLogits(q, k, scale).nan_to_num(neginf: 0).abs().max().item<float>();
        var capped = AttentionSoftCap.Logits(q, k, scale, cap).abs().max().item<float>();
        Assert.InRange(raw, 2 * cap, 8 * cap);        // the cap is hit hard, short of float32 tanh's saturation
        Assert.True(capped < cap, $"max |capped logit| {capped} is not below the cap {cap}");
        Assert.True(capped > 0.9 * cap);
    }

    [Fact]
    public void TheSwitchCapsTheModelsAttentionAndTheProbeReadsTheLogitsBeforeTheCap()
    {
        // A cap far above every logit leaves the model as it is (a wrong z·tanh(z/c) would shrink every logit to ~z²/c);
        // a cap below them changes its output; the probe's max logit is the same raw logit either way.
        (float[] Logits, float MaxLogit) Run(double cap)
        {
            using var generator = new Generator(11);
            using var model = new Transformer(new ModelConfig { Width = 32, Depth = 1, Heads = 1, SeqLen = 8, Vocab = 256, QkLayerNorm = false, AttentionSoftcap = cap }, CPU, generator);
            var tokens = randint(0, 256, new long[] { 2, 8 }, generator: generator);
            var probe = new ForwardProbe();
            using var _ = no_grad();
            var logits = model.Forward(tokens, probe).flatten().data<float>().ToArray();
            return (logits, probe.Stacked()[0, 0].item<float>());
        }
        var plain = Run(0);
        var wide = Run(1e6);
        var tight = Run(0.01);
        Assert.True(plain.MaxLogit > 0.01);
        for (int i = 0; i < plain.Logits.Length; i++) Assert.Equal(plain.Logits[i], wide.Logits[i], 1e-5);
        Assert.True(plain.Logits.Zip(tight.Logits).Max(p => Math.Abs(p.First - p.Second)) > 1e-4);
        Assert.Equal(plain.MaxLogit, tight.MaxLogit);
    }
}
