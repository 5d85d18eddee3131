using Proxies.Experiments;

namespace Proxies.Tests.Experiments;

/// <summary>The small statistics notebooks and claims share, against hand-computed values.</summary>
public class AnalysisStatisticsTests
{
    [Fact]
    public void TheUpperMedianIsTheMiddleValueOrTheHigherOfTheTwoMiddleOnes()
    {
        Assert.Equal(3, Analysis.UpperMedian([5, 1, 3]));
        Assert.Equal(4, Analysis.UpperMedian([4, 1, 3, 9]));      // middle pair (3, 4): the higher
        Assert.True(double.IsNaN(Analysis.UpperMedian([])));
    }

    [Fact]
    public void TheMeanOfNothingIsNaN()
    {
        Assert.Equal(2.5, Analysis.MeanOrNaN([1, 4]));
        Assert.True(double.IsNaN(Analysis.MeanOrNaN([])));
    }
}
