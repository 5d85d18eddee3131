using Proxies.Experiments;

namespace Proxies.Tests.Experiments;

public class TrainedStepsTests
{
    [Fact]
    public void EachSizeWarmsUpForTheLaddersFractionOfItsOwnStepsOnPairedSeeds()
    {
        var runs = TrainedSteps.Runs(Profile.Quick);
        // Quick: 2,400 / 600 / 300 steps for widths 32 / 64 / 128, warm-up 10% of each (the ladder's 30 of 300).
        Assert.Equal(new[] { (32, 2400, 240), (64, 600, 60), (128, 300, 30) },
            runs.Select(r => (r.Model.Width, r.Steps, r.WarmupSteps)).Distinct().OrderBy(x => x.Width));
        Assert.Equal(3 * 7 * 2 * 3, runs.Count);
        Assert.All(runs.GroupBy(r => (r.Variant, r.Model.Width, r.Lr)), g => Assert.Equal([0, 1, 2], g.Select(r => r.Seed).Order()));
        // Width 128 keeps the ladder's own configuration, so its runs are shared with the other experiments.
        var ladder = Catalog.Find("lr-sensitivity").Runs(Profile.Quick).Select(r => r.RunId).ToHashSet();
        Assert.All(runs.Where(r => r.Model.Width == 128 && r.Model.QkLayerNorm && r.Seed < 2), r => Assert.Contains(r.RunId, ladder));
    }
}
