using Proxies.Model;
using Proxies.Training;
using Proxies.Training.Hooks;
using static TorchSharp.torch;

namespace Proxies.Tests.Training;

/// <summary>The gradient-sign agreement probe (Training/Hooks/SignAgreement.cs) on hand-made gradient sequences, and in a run.</summary>
public class SignAgreementTests : TorchTest
{
    static double Agreement(float[] before, float[] now) => SignAgreement.Fraction(tensor(before), tensor(now)).item<double>();

    [Fact]
    public void CountsSameSignsAmongCoordinatesNonZeroAtBothSteps()
    {
        // Coordinates 0–2 are non-zero at both steps: 0 keeps its sign, 1 and 2 flip; 3 is 0 before and is not counted.
        Assert.Equal(1.0 / 3, Agreement([1, -2, 3, 0], [2, 2, -1, 5]), 12);
        Assert.True(double.IsNaN(Agreement([0, 0], [1, -1])));
    }

    [Fact]
    public void AConstantDirectionGivesOneAFlippingOneZeroAndNoiseAHalf()
    {
        float[] g = [0.3f, -1e-9f, 2f, -0.5f];
        Assert.Equal(1, Agreement(g, g.Select(x => 7 * x).ToArray()), 12);       // the same direction, another size
        Assert.Equal(0, Agreement(g, g.Select(x => -x).ToArray()), 12);          // sign flipping at every coordinate
        var noise = randn(2, 100_000, generator: new TorchSharp.torch.Generator(7));
        Assert.Equal(0.5, SignAgreement.Fraction(noise[0], noise[1]).item<double>(), 2);   // independent steps
    }

    [Fact]
    public void ARunRecordsEachLayersAgreementFromItsSecondStep()
    {
        var config = new TrainConfig
        {
            Model = new ModelConfig { Width = 32, Depth = 1, Heads = 1, SeqLen = 16 }, BatchSize = 4, Steps = 5, WarmupSteps = 1,
            Lr = 0.003, ProbeEvery = 1, SignAgreement = true,
        };
        var (_, curve) = Trainer.Run(config);
        using var model = new Transformer(config.Model);
        var groups = model.Parameters().Select(p => p.Name).ToList();
        Assert.All(groups, group =>
        {
            var values = curve.Values(SignAgreement.Name(group)).ToArray();
            Assert.True(double.IsNaN(values[0]));                               // step 0 has no previous gradient
            Assert.All(values[1..], v => Assert.InRange(v, 0.0, 1.0));
        });
    }
}
