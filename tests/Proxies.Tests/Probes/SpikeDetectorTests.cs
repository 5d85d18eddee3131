using Proxies.Probes;

namespace Proxies.Tests.Probes;

public class SpikeDetectorTests
{
    [Fact]
    public void ASpikeIsALossAboveFactorTimesTheAverageOfTheLossesBeforeIt()
    {
        // Losses 4, 2, 2, 2 then 2.5 and 3: with β = 0.5 the average is 4 → 3 → 2.5 → 2.25; 2.5 ≤ 1.2·2.25 = 2.7 is not a
        // spike (average → 2.375); 3 > 1.2·2.375 = 2.85 is, and does not enter the average; NaN is one too.
        var detector = new SpikeDetector(1.2, beta: 0.5, settle: 4);
        Assert.Equal(new[] { false, false, false, false, false, true, true }, new[] { 4, 2, 2, 2, 2.5, 3, double.NaN }.Select(detector.Observe));
        Assert.Equal(2.375, detector.Average, 12);
    }

    [Fact]
    public void NothingIsASpikeBeforeTheDetectorSettles() =>
        Assert.Empty(SpikeDetector.Spikes(new[] { (0, 5.0), (1, 50.0), (2, 1.0) }, 1.5, settle: 3));

    [Fact]
    public void AFactorOfOneOrLessIsRefused() => Assert.Throws<ArgumentOutOfRangeException>(() => new SpikeDetector(1.0));
}
