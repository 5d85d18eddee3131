using Proxies.Optimization;

namespace Proxies.Tests.Optimization;

public class ScheduleTests
{
    [Fact]
    public void WarmupThenCosineToAbsoluteMinimum()
    {
        var s = new Schedule(PeakLr: 1e-2, WarmupSteps: 10, TotalSteps: 110, MinLr: 1e-5);
        Assert.Equal(1e-3, s.LearningRate(0), 15);                      // (0+1)/10 of the peak
        Assert.Equal(5e-3, s.LearningRate(4), 15);
        Assert.Equal(1e-2, s.LearningRate(9), 15);                      // end of warm-up: the peak
        Assert.Equal(1e-2, s.LearningRate(10), 15);                     // p = 0: cos 0 = 1
        Assert.Equal(1e-5 + 0.5 * (1e-2 - 1e-5), s.LearningRate(60), 15);   // p = 1/2: cos(π/2) = 0
        Assert.Equal(1e-5 + 0.5 * (1e-2 - 1e-5) * (1 + Math.Cos(Math.PI * 0.75)), s.LearningRate(85), 15);
        Assert.Equal(1e-5, s.LearningRate(110), 15);                    // p = 1: the absolute minimum
        Assert.Equal(0.5 * (1 - 1e-3) + 1e-3, s.Multiplier(60), 12);    // s_t = lr_t / η
    }

    [Fact]
    public void NoWarmupStartsAtThePeak()
    {
        var s = new Schedule(0.3, 0, 100, 1e-5);
        Assert.Equal(0.3, s.LearningRate(0), 15);
        Assert.True(s.LearningRate(99) < s.LearningRate(50));
    }
}
