using Proxies.Experiments;
using Proxies.Model;
using static TorchSharp.torch;

namespace Proxies.Tests.Experiments;

public class KappaTransplantTests : TorchTest
{
    [Theory]
    [InlineData(true, 1e3)]
    [InlineData(false, 1e4)]
    [InlineData(true, 3.0)]
    public void TheTransplantedMaxLogitIsKappaOnTheBatch(bool qkLayerNorm, double kappa)
    {
        using var generator = new Generator(7);
        using var model = new Transformer(new ModelConfig { Width = 64, Depth = 2, Heads = 2, SeqLen = 16, Vocab = 256, QkLayerNorm = qkLayerNorm }, CPU, generator);
        var tokens = randint(0, 256, new long[] { 4, 16 }, generator: generator);
        var before = KappaTransplant.MaxLogits(model, tokens);
        var scales = KappaTransplant.Apply(model, tokens, kappa);
        var after = KappaTransplant.MaxLogits(model, tokens);
        // Logits are linear in the scale, so the measured max is κ up to float32 rounding (stated tolerance: 1e-4 relative).
        Assert.All(after, m => Assert.Equal(1, m / kappa, 4));
        Assert.Equal(kappa / before[0], scales[0], 9);                 // block 0 sees unchanged inputs
        // A second transplant measures from scale 1 again: it does not compound.
        KappaTransplant.Apply(model, tokens, kappa);
        Assert.All(KappaTransplant.MaxLogits(model, tokens), m => Assert.Equal(1, m / kappa, 4));
    }
}
