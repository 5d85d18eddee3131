namespace Proxies.Experiments;

/// <summary>
/// y ≈ A + B·x + C·x², fitted by least squares (<see cref="PolynomialFit"/> of degree 2): the paper's Fig 9 fits log10
/// of block 0's max attention logit early in training as a quadratic in log10 of the non-embedding parameters, one fit
/// per LR, and extrapolates it to a larger model.
/// </summary>
public sealed record QuadraticFit(double A, double B, double C)
{
    public double Evaluate(double x) => A + B * x + C * x * x;

    public static QuadraticFit LeastSquares(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Select(p => p.X).Distinct().Count() < 3)
            throw new ArgumentException("a quadratic needs points at three different x at least", nameof(points));
        var c = PolynomialFit.LeastSquares(points, 2).Coefficients();
        return new QuadraticFit(c[0], c[1], c[2]);
    }
}
