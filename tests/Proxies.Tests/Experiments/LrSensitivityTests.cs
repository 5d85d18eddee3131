using Proxies.Experiments;

namespace Proxies.Tests.Experiments;

public class LrSensitivityTests
{
    [Fact]
    public void MeanOfClippedLossesMinusBestWithDivergenceClippedToInitialLoss()
    {
        // ℓ0 = 5. Losses 3.0, 2.5, 6.0 (above ℓ0: clipped to 5), NaN (diverged: 5), 4.0 flagged diverged (5).
        // Clipped: 3, 2.5, 5, 5, 5 → mean 4.1; best 2.5 → LRsens 1.6.
        var points = new[]
        {
            new LrPoint(1e-3, 3.0, 5, false), new LrPoint(3e-3, 2.5, 5, false), new LrPoint(1e-2, 6.0, 5, false),
            new LrPoint(3e-2, double.NaN, 5, true), new LrPoint(1e-1, 4.0, 5, true),
        };
        Assert.Equal(1.6, LrSensitivity.Compute(points), 12);
    }

    [Fact]
    public void SharesByLrSumToLrSensitivity()
    {
        // ℓ0 = 5, best 2.5, N = 4. Clipped: 3 (LR 1e-3), 2.5, 5 (6.0 clipped), 5 (NaN) → shares 0.125, 0, 0.625, 0.625.
        var points = new[]
        {
            new LrPoint(1e-2, 6.0, 5, false), new LrPoint(1e-3, 3.0, 5, false), new LrPoint(3e-2, double.NaN, 5, true),
            new LrPoint(3e-3, 2.5, 5, false),
        };
        var shares = LrSensitivity.Shares(points);
        Assert.Equal(new[] { 1e-3, 3e-3, 1e-2, 3e-2 }, shares.Select(s => s.Lr));
        Assert.Equal(new[] { 0.125, 0, 0.625, 0.625 }, shares.Select(s => s.Share));
        Assert.Equal(LrSensitivity.Compute(points), shares.Sum(s => s.Share), 12);
    }

    [Fact]
    public void AllEqualLossesGiveZero() =>
        Assert.Equal(0, LrSensitivity.Compute(new[] { new LrPoint(1e-3, 3, 5, false), new LrPoint(1e-2, 3, 5, false) }), 12);

    [Fact]
    public void TwoWindowMinimumForCoupledDecay()
    {
        // Window [1e-4, 1e-1]: 1e-4 → 4, 1e-3 → 3, 1e-1 → 2: mean 3 − 2 = 1.
        // Window [3e-4, 3e-1]: 1e-3 → 3, 1e-1 → 2, 3e-1 → 2: mean 7/3 − 2 = 1/3. The smaller: 1/3.
        var points = new[]
        {
            new LrPoint(1e-4, 4, 5, false), new LrPoint(1e-3, 3, 5, false), new LrPoint(1e-1, 2, 5, false), new LrPoint(3e-1, 2, 5, false),
        };
        Assert.Equal(1.0 / 3, LrSensitivity.TwoWindowMinimum(points), 12);
    }

    [Fact]
    public void AWindowOfOneRunDoesNotCountAsZero()
    {
        // LRs 1e-2 and 3e-1: [1e-4, 1e-1] holds only 1e-2 (LRsens 0 by construction) and is skipped; [3e-4, 3e-1] holds
        // both: losses 3 and 4, mean 3.5 − 3 = 0.5.
        var points = new[] { new LrPoint(1e-2, 3, 5, false), new LrPoint(3e-1, 4, 5, false) };
        Assert.Equal(0.5, LrSensitivity.TwoWindowMinimum(points), 12);
    }
}
