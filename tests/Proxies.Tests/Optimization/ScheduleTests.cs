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

    [Fact]
    public void TotalDecayIsLambdaTimesTheSumOfTheScheduleFactors()
    {
        // 4 steps, 2 of warm-up, η = 0.1, min 0.02: lr_t = 0.05, 0.1, then the cosine from 0.1: p = 0 → 0.1, p = ½ → 0.06.
        // Σ sₜ = 0.5 + 1 + 1 + 0.6 = 3.1.
        var s = new Schedule(PeakLr: 0.1, WarmupSteps: 2, TotalSteps: 4, MinLr: 0.02);
        Assert.Equal(1e-2 * 3.1, s.TotalDecay(1e-2, WeightDecayMode.Independent, 4), 12);
        Assert.Equal(0.1 * 1e-2 * 3.1, s.TotalDecay(1e-2, WeightDecayMode.Coupled, 4), 12);
        // The paper's recipe: 10⁵ steps, 5·10³ of warm-up, cosine to 10⁻⁵ from η = 10⁻²: Σ sₜ = 5001/2 (warm-up)
        // + 95,000 · (0.5 + 0.5·10⁻³) (the cosine's mean) = 50,048, so λ = 10⁻⁴ independent totals 5.0048.
        var paper = new Schedule(PeakLr: 1e-2, WarmupSteps: 5_000, TotalSteps: 100_000, MinLr: 1e-5);
        Assert.Equal(5.0048, paper.TotalDecay(1e-4, WeightDecayMode.Independent, 100_000), 3);
    }
}
