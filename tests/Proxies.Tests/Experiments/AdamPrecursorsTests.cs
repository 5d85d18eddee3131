using Proxies.Experiments;
using Proxies.Probes;
using Proxies.Training.Hooks;

namespace Proxies.Tests.Experiments;

/// <summary>Notebook 10's two settings and the precursors read at spike onsets (Experiments/AdamPrecursors.cs).</summary>
public class AdamPrecursorsTests
{
    [Fact]
    public void TheLateSettingIsLongConstantLrTrainingWithASlowSecondMomentAndASmallEps()
    {
        foreach (var profile in Enum.GetValues<Profile>())
        {
            var late = AdamPrecursors.LateSetting(profile);
            var early = AdamPrecursors.EarlySetting(profile);
            Assert.Equal(late.Lr, late.MinLr);
            Assert.Equal(0.999, late.Beta2);
            Assert.True(late.Eps < 1e-8);
            Assert.True(late.RatioHistogram && late.SignAgreement && early.RatioHistogram && early.SignAgreement);
            if (profile == Profile.Quick) Assert.True(late.Steps >= 20 * early.Steps);
            // The early setting is notebook 10's spiking run with one probe more: the same run but for that switch.
            Assert.Equal(AdamInstability.Spiking(profile) with { SignAgreement = true, Variant = early.Variant }, early);
            Proxies.Training.ConfigValidation.EnsureRules(late);
        }
    }

    [Fact]
    public void TheNearOneShareIsTheTopTwoBinsOfTheHistogramOverCoordinatesWithAGradient()
    {
        int top = RatioHistogram.BinEdges.Length - 1;
        var curve = new Curve();
        curve.Add(new Dictionary<string, double>
        {
            ["step"] = 10, [RatioHistogram.ReceivedName("embed", top - 1)] = 0.25, [RatioHistogram.ReceivedName("embed", top)] = 0.125,
            [RatioHistogram.WithoutEpsName("embed", top - 1)] = 0.5, [RatioHistogram.WithoutEpsName("embed", top)] = 0.0625,
            [RatioHistogram.Name("embed", top)] = 0.01,
        });
        Assert.Equal((10.0, 0.375), Assert.Single(AdamPrecursors.NearOne(curve, "embed", withoutEps: false)));
        Assert.Equal((10.0, 0.5625), Assert.Single(AdamPrecursors.NearOne(curve, "embed", withoutEps: true)));
    }

    [Fact]
    public void ANormRisesByTheLogOfItsRatioAndAShareByItsDifference()
    {
        var onset = new SpikeOnset(100, 5, 2.0, Before: 0.9, Baseline: 0.6);
        Assert.Equal(Math.Log10(1.5), AdamPrecursors.Rise(new Precursor("norm", "norm", (_, _) => [], Log: true), onset), 12);
        Assert.Equal(0.3, AdamPrecursors.Rise(new Precursor("share", "share", (_, _) => [], Log: false), onset), 12);
    }
}
