using Proxies.Model;
using static TorchSharp.torch;

namespace Proxies.Tests.Model;

public class TransformerTests : TorchTest
{
    [Fact]
    public void ProbeSeesQueryKeyNormsOfQkLayerNorm()
    {
        // With qk-LayerNorm and unit gains, every q and k has norm √d_h (RoPE preserves it); the probe must see that.
        var config = new ModelConfig { Width = 32, Depth = 2, Heads = 2, SeqLen = 8 };
        using var model = new Transformer(config);
        var probe = new AttentionProbe();
        using var _ = no_grad();
        model.Forward(randint(0, 256, new long[] { 2, 8 }), probe);
        var stats = probe.Stacked().data<float>().ToArray();
        Assert.Equal(2, probe.Blocks);
        Assert.Equal(Math.Sqrt(16), stats[1], 2);
        Assert.Equal(Math.Sqrt(16), stats[2], 2);
        Assert.InRange(stats[0], 0.01, 4.0 + 1e-3);  // |z| ≤ ‖q‖‖k‖/√d_h = √d_h
    }
}
