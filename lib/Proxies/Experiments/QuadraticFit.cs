namespace Proxies.Experiments;

/// <summary>
/// y ≈ A + B·x + C·x², fitted by least squares: the paper's Fig 9 fits log10 of block 0's max attention logit early in
/// training as a quadratic in log10 of the non-embedding parameters, one fit per LR, and extrapolates it to a larger
/// model. Solved from the 3×3 normal equations in double precision, with x centred first so that they stay
/// well-conditioned for x around 5 (10⁵ parameters) and beyond.
/// </summary>
public sealed record QuadraticFit(double A, double B, double C)
{
    public double Evaluate(double x) => A + B * x + C * x * x;

    public static QuadraticFit LeastSquares(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Select(p => p.X).Distinct().Count() < 3)
            throw new ArgumentException("a quadratic needs points at three different x at least", nameof(points));
        double mean = points.Average(p => p.X);
        // Normal equations for u = x − mean: Σ[u^(i+j)]·c_j = Σ[u^i·y], i, j ∈ {0, 1, 2}.
        var m = new double[3, 4];
        foreach (var (x, y) in points)
        {
            double u = x - mean;
            double[] powers = [1, u, u * u, u * u * u, u * u * u * u];
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 3; j++) m[i, j] += powers[i + j];
                m[i, 3] += powers[i] * y;
            }
        }
        var (a, b, c) = Solve(m);
        // Back from u = x − mean to x: a + b(x − μ) + c(x − μ)².
        return new QuadraticFit(a - b * mean + c * mean * mean, b - 2 * c * mean, c);
    }

    /// <summary>Gaussian elimination with partial pivoting on an augmented 3×4 matrix.</summary>
    static (double, double, double) Solve(double[,] m)
    {
        for (int col = 0; col < 3; col++)
        {
            int pivot = Enumerable.Range(col, 3 - col).MaxBy(r => Math.Abs(m[r, col]));
            for (int k = 0; k < 4; k++) (m[col, k], m[pivot, k]) = (m[pivot, k], m[col, k]);
            for (int r = col + 1; r < 3; r++)
            {
                double f = m[r, col] / m[col, col];
                for (int k = col; k < 4; k++) m[r, k] -= f * m[col, k];
            }
        }
        double c = m[2, 3] / m[2, 2];
        double b = (m[1, 3] - m[1, 2] * c) / m[1, 1];
        double a = (m[0, 3] - m[0, 1] * b - m[0, 2] * c) / m[0, 0];
        return (a, b, c);
    }
}
