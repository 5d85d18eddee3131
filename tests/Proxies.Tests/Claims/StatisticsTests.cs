using Proxies.Experiments;
using Proxies.Claims;

namespace Proxies.Tests.Claims;

public class StatisticsTests
{
    [Fact]
    public void TheTIntervalOfThreeSeedsIsTheMeanPlusMinusTTimesTheStandardError()
    {
        // 1, 2, 3: mean 2, sample sd 1, t(0.975, 2) = 4.303 → half-width 4.303/√3 = 2.48434.
        var (mean, low, high) = StudentT.Interval([1.0, 2.0, 3.0]);
        Assert.Equal(2.0, mean, 12);
        Assert.Equal(2.0 - 4.303 / Math.Sqrt(3), low, 12);
        Assert.Equal(-0.48434, low, 5);
        Assert.Equal(4.48434, high, 5);
    }

    [Theory]
    [InlineData(1, 12.706)]
    [InlineData(2, 4.303)]
    [InlineData(9, 2.262)]
    [InlineData(30, 2.042)]
    [InlineData(500, 2.042)]
    public void TQuantilesMatchTheTable(int df, double t) => Assert.Equal(t, StudentT.Quantile975(df), 12);

    [Fact]
    public void OneValueHasNoTInterval() => Assert.Throws<ArgumentException>(() => StudentT.Interval([1.0]));

    [Fact]
    public void TheOptimalLrIsTheParabolasVertexBetweenGridPoints()
    {
        // log10 LR = −1, 0, 1 with loss (x − 0.2)² + 2: 3.44, 2.04, 2.64; the vertex is x = 0.2 exactly. A fourth point far
        // off the parabola but not the lowest does not move it.
        var curve = new[] { (0.1, 3.44), (1.0, 2.04), (10.0, 2.64), (100.0, 9.0) };
        Assert.Equal(0.2, OptimalLr.Log10(curve), 12);
    }

    [Fact]
    public void TheOptimalLrOnUnevenSpacingIsTheVertexOfTheThreePointParabola()
    {
        // x = log10 LR = log10 3e-4, −3, log10 3e-3 (spacing 0.523 / 0.477) on y = 2(x + 2.9)² + 1: the vertex is −2.9.
        double Y(double lr) => 2 * Math.Pow(Math.Log10(lr) + 2.9, 2) + 1;
        var curve = new[] { 3e-4, 1e-3, 3e-3 }.Select(lr => (lr, Y(lr))).ToList();
        Assert.Equal(-2.9, OptimalLr.Log10(curve), 10);
    }

    [Fact]
    public void AnOptimumAtTheGridsEndIsThatGridPoint()
    {
        Assert.Equal(-1.0, OptimalLr.Log10([(0.1, 1.0), (1.0, 2.0), (10.0, 3.0)]), 12);
        Assert.Equal(-1.0, OptimalLr.Log10([(0.1, 2.0), (1.0, 2.0), (10.0, 2.0)]), 12);   // flat: the smallest LR of the lowest
    }
}
