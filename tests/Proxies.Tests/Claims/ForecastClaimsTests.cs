using Proxies.Claims;
using Proxies.Experiments;
using Proxies.Forecasting;

namespace Proxies.Tests.Claims;

public class ForecastClaimsTests
{
    /// <summary>An exact power law on the fit sizes, and held-out seeds above it by 0.01·seed decades: the line misses
    /// seed s by 0.01·s and persistence by d − 0.01·s, where d = 0.8·log₁₀(held-out size / largest fit size), so each
    /// seed's gain is the median d less 0.02·s.</summary>
    [Fact]
    public void TheTrendClaimIsPersistencesMissLessTheLinesPerHeldOutSeed()
    {
        var ladder = ForecastLadder.For(Profile.Quick);
        var metric = LadderMetric.GradRms("head");
        double Law(ModelSize s, double lr) => Math.Log10(lr) - 0.8 * Math.Log10(s.NonEmbeddingParams);
        var points = ladder.Fit.Concat(ladder.HeldOut).SelectMany(size => new[] { 0.01, 0.1 }.SelectMany(lr => new[] { 0, 1, 2 }.Select(seed =>
            new LadderPoint(size, lr, seed, new Dictionary<string, double>
            {
                [metric.Name] = Math.Pow(10, Law(size, lr) + (ladder.HeldOut.Contains(size) ? 0.01 * seed : 0)),
            })))).ToList();
        long largest = ladder.Fit.Max(s => s.NonEmbeddingParams);
        // Two held-out sizes × two LRs: the median is the mean of the two sizes' d.
        double d = ladder.HeldOut.Average(s => 0.8 * Math.Log10((double)s.NonEmbeddingParams / largest));
        var perSeed = ForecastClaims.PerSeed(ladder, points, metric);
        Assert.Equal([0, 1, 2], perSeed.Select(x => x.Seed));
        foreach (var (seed, value) in perSeed) Assert.Equal(d - 0.02 * seed, value!.Value, 9);
        var verdict = ForecastClaims.TrendCarries(metric).Judge(perSeed, rerun: null);
        Assert.Equal(d - 0.02, verdict.Value, 9);
    }
}
