using Proxies.Model;
using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Tests.Model;

public class TransformerTests : TorchTest
{
    [Fact]
    public void ProbeSeesQueryKeyNormsOfQkLayerNorm()
    {
        // With qk-LayerNorm and unit gains, every q and k has norm √d_h (RoPE preserves it); the probe must see that.
        var config = new ModelConfig { Width = 32, Depth = 2, Heads = 2, SeqLen = 8 };
        using var model = new Transformer(config);
        var probe = new ForwardProbe();
        using var _ = no_grad();
        model.Forward(randint(0, 256, new long[] { 2, 8 }), probe);
        var stats = probe.Stacked().data<float>().ToArray();
        Assert.Equal(2, probe.Blocks);
        Assert.Equal(Math.Sqrt(16), stats[1], 2);
        Assert.Equal(Math.Sqrt(16), stats[2], 2);
        Assert.InRange(stats[0], 0.01, 4.0 + 1e-3);  // |z| ≤ ‖q‖‖k‖/√d_h = √d_h
    }

    [Fact]
    public void EmbeddingGradientShrinkLeavesTheForwardAloneAndScalesOnlyTheEmbeddingGradient()
    {
        // GLM-130B's x ← α·x + (1 − α)·stopgrad(x): same logits, embedding gradient × α, every other gradient unchanged.
        (float[] Logits, float[] Embedding, float[][] Others) Run(double alpha)
        {
            using var generator = new Generator(5);
            using var model = new Transformer(new ModelConfig { Width = 32, Depth = 1, Heads = 1, SeqLen = 8, Vocab = 256, EmbedGradShrink = alpha }, CPU, generator);
            var tokens = randint(0, 256, new long[] { 2, 8 }, generator: generator);
            var logits = model.Forward(tokens);
            logits.Squared().mean().backward();
            float[] Grad(TorchSharp.Modules.Parameter p) => p.grad!.flatten().data<float>().ToArray();
            return (logits.detach().flatten().data<float>().ToArray(), Grad(model.Embedding),
                model.parameters().Where(p => !ReferenceEquals(p, model.Embedding)).Select(Grad).ToArray());
        }
        var plain = Run(1);
        var shrunk = Run(0.1);
        // 0.1·x + 0.9·x is x up to float32 rounding.
        Assert.Equal(plain.Logits, shrunk.Logits, (a, b) => Math.Abs(a - b) <= 1e-5 * (1 + Math.Abs(a)));
        Assert.Contains(plain.Embedding, g => g != 0);
        for (int i = 0; i < plain.Embedding.Length; i++) Assert.Equal(0.1 * plain.Embedding[i], shrunk.Embedding[i], 1e-6);
        Assert.Equal(plain.Others.Length, shrunk.Others.Length);
        foreach (var (a, b) in plain.Others.Zip(shrunk.Others)) Assert.Equal(a, b, (x, y) => Math.Abs(x - y) <= 1e-5 * (1 + Math.Abs(x)));
    }

    [Fact]
    public void InitialisationDrawsOnlyFromItsOwnGenerator()
    {
        // Runs side by side in one process must not share a random stream: draws from the global generator between
        // two models built from equal seeds change nothing, and the embedding is the generator's first draw.
        var config = new ModelConfig { Width = 16, Depth = 1, Heads = 1, SeqLen = 8, QkLayerNorm = false };
        float[][] Weights(Transformer m) => m.parameters().Select(p => p.detach().flatten().data<float>().ToArray()).ToArray();
        using var g1 = new Generator(5);
        using var first = new Transformer(config, generator: g1);
        randn(1000);
        using var g2 = new Generator(5);
        using var second = new Transformer(config, generator: g2);
        Assert.Equal(Weights(first), Weights(second));
        using var g3 = new Generator(5);
        var expectedEmbedding = empty(256, 16).normal_(0, Init.EmbeddingStd(16), g3).flatten().data<float>().ToArray();
        Assert.Equal(expectedEmbedding, first.Embedding.detach().flatten().data<float>().ToArray());
    }
}

public class QkLayerNormTests : TorchTest
{
    [Fact]
    public void LayerNormMatchesFloat64ReferencePerHeadWithSharedGain()
    {
        // Two heads of d_h = 4 with one gain vector shared by both: y = g ⊙ (x − mean) / √(var + 1e-6).
        double[][] x = { new[] { 1.0, 2, 3, 10 }, new[] { -5.0, 0, 5, 0 } };
        double[] g = { 1, 2, 0.5, -1 };
        var input = tensor(x.SelectMany(r => r.Select(v => (float)v)).ToArray()).reshape(1, 2, 1, 4);
        var output = Transformer.LayerNorm(input, tensor(g.Select(v => (float)v).ToArray()), 1e-6).data<float>().ToArray();
        for (int h = 0; h < 2; h++)
        {
            double mean = x[h].Average(), variance = x[h].Select(v => (v - mean) * (v - mean)).Average();
            for (int i = 0; i < 4; i++)
                Assert.Equal(g[i] * (x[h][i] - mean) / Math.Sqrt(variance + 1e-6), output[h * 4 + i], 4);
        }
    }

    [Fact]
    public void QkLayerNormBoundsTheLogitsWhateverTheWeightScale()
    {
        // Scaling the attention weights by 100 multiplies the logits by 10⁴ without qk-LN and leaves them bounded
        // (|z| ≤ ‖q‖‖k‖/√d_h = √d_h with unit gains) with it: the paper's fix for attention-logit growth.
        double MaxLogit(bool qkLn)
        {
            manual_seed(3);
            using var model = new Transformer(new ModelConfig { Width = 32, Depth = 1, Heads = 2, SeqLen = 16, QkLayerNorm = qkLn });
            using (no_grad()) model.named_parameters().First(p => p.name == "blocks.0.wqkv").parameter.mul_(LiveScalar.Of(100));
            var probe = new ForwardProbe();
            using (no_grad()) model.Forward(randint(0, 256, new long[] { 2, 16 }), probe);
            return probe.Stacked()[0, 0].item<float>();
        }
        Assert.True(MaxLogit(false) > 1000);
        Assert.InRange(MaxLogit(true), 0, 4.0 + 1e-3);
    }
}
