using Proxies.Experiments;

namespace Proxies.Tests.Experiments;

public class QuadraticFitTests
{
    [Fact]
    public void LeastSquaresMatchesTheExactRationalSolution()
    {
        // (x, y) = (4, 1), (4.5, 1.5), (5, 2.5), (5.5, 3.5), (6, 5.25): not on one parabola. The normal equations solved
        // exactly in rational arithmetic (Python's fractions) give a = 39/4, b = −353/70, c = 5/7.
        var fit = QuadraticFit.LeastSquares([(4, 1), (4.5, 1.5), (5, 2.5), (5.5, 3.5), (6, 5.25)]);
        Assert.Equal(39.0 / 4, fit.A, 9);
        Assert.Equal(-353.0 / 70, fit.B, 9);
        Assert.Equal(5.0 / 7, fit.C, 9);
    }

    [Fact]
    public void PointsOnAParabolaAreRecoveredAndExtrapolated()
    {
        // y = 2 − 3x + 0.5x² at x = 4.1 … 6.3 (log10 of 10⁴–10⁶ parameters): exact, and exact beyond the data.
        double Y(double x) => 2 - 3 * x + 0.5 * x * x;
        var fit = QuadraticFit.LeastSquares(new[] { 4.1, 4.9, 5.6, 6.3 }.Select(x => (x, Y(x))).ToList());
        Assert.Equal(0.5, fit.C, 9);
        Assert.Equal(Y(8), fit.Evaluate(8), 8);
    }

    [Fact]
    public void TwoDistinctXAreRefused() =>
        Assert.Throws<ArgumentException>(() => QuadraticFit.LeastSquares([(1, 1), (1, 2), (2, 3)]));
}
