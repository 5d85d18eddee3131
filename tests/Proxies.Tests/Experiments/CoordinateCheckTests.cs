using Proxies.Experiments;
using Proxies.Model;
using Xunit.Abstractions;

namespace Proxies.Tests.Experiments;

/// <summary>
/// The coordinate check as a test of the μParam implementation: widths 32–256 (8× apart), 10 Adam steps at a constant
/// LR 1e-2, two seeds averaged. Under μParam (simple and full) every block's outputs and the logits keep their mean |x|
/// at the widest width within a factor <see cref="Flat"/> of the narrowest; under the standard parametrisation the
/// blocks' outputs grow by more than <see cref="Grows"/> and the logits by more than <see cref="LogitsGrow"/> (they
/// pass a final LayerNorm). Measured here: μParam ×0.69–1.55 per layer, standard ×12–55 for the blocks, ×2.5 for
/// the logits. The embedding output shrinks as its init std 1/√d does under both, since none of the paper's μParam
/// variants changes the embedding's init (its output is normalised by the first LayerNorm).
/// </summary>
public class CoordinateCheckTests(ITestOutputHelper output) : TorchTest
{
    static readonly int[] Widths = [32, 64, 128, 256];
    const double Flat = 2, Grows = 4, LogitsGrow = 1.8;

    [Theory]
    [InlineData(MuParam.Simple)]
    [InlineData(MuParam.Full)]
    public void UnderMuParamEveryLayerIsFlatInWidthUnderTheStandardParametrisationItGrows(MuParam parametrisation)
    {
        var mu = CoordinateCheck.GrowthAtLastStep(CoordinateCheck.Run(parametrisation, Widths));
        var sp = CoordinateCheck.GrowthAtLastStep(CoordinateCheck.Run(MuParam.Off, Widths));
        foreach (var (name, ratio) in mu) output.WriteLine($"{name,-14} {parametrisation} ×{ratio:F2}   standard ×{sp[name]:F2}");
        foreach (var (name, ratio) in mu.Where(p => p.Key != "embed"))
            Assert.True(ratio > 1 / Flat && ratio < Flat, $"{name}: ×{ratio:F2} from width 32 to 256 under μParam {parametrisation}");
        foreach (var (name, ratio) in sp.Where(p => p.Key.Contains('/')))
            Assert.True(ratio > Grows, $"{name}: ×{ratio:F2} under the standard parametrisation");
        Assert.True(sp["logits"] > LogitsGrow, $"logits: ×{sp["logits"]:F2} under the standard parametrisation");
        // The embedding output follows its init std 1/√d (1/√8 ≈ 0.35 over the ladder), plus what ten updates add.
        Assert.InRange(mu["embed"], 0.3, 0.5);
    }
}
