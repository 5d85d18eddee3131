namespace Proxies.Experiments;

/// <summary>
/// y ≈ c₀ + c₁·x + … + c_d·x^d by ordinary least squares, with what a prediction interval needs: the residual standard
/// deviation s (n − d − 1 degrees of freedom) and (XᵀX)⁻¹. Solved in double precision with x centred first (x is
/// log10 of a parameter count, around 5, where raw powers make the normal equations ill-conditioned).
/// </summary>
public sealed class PolynomialFit
{
    readonly double center;
    readonly double[] centred;      // coefficients in u = x − center
    readonly double[,] inverse;     // (UᵀU)⁻¹ in u

    public int Degree => centred.Length - 1;
    public int Points { get; }
    public int DegreesOfFreedom => Points - centred.Length;
    /// <summary>√(Σ residual² / (n − d − 1)); NaN with no degree of freedom left.</summary>
    public double ResidualSd { get; }

    PolynomialFit(double center, double[] centred, double[,] inverse, int points, double residualSd) =>
        (this.center, this.centred, this.inverse, Points, ResidualSd) = (center, centred, inverse, points, residualSd);

    public double Evaluate(double x)
    {
        double u = x - center, y = 0;
        for (int i = Degree; i >= 0; i--) y = y * u + centred[i];
        return y;
    }

    /// <summary>The coefficients in x: c₀, c₁, …, from the centred ones by the binomial expansion of (x − center)^j.</summary>
    public double[] Coefficients()
    {
        var c = new double[centred.Length];
        for (int j = 0; j < centred.Length; j++)
            for (int i = 0; i <= j; i++)
                c[i] += centred[j] * Binomial(j, i) * Math.Pow(-center, j - i);
        return c;
    }

    /// <summary>The standard error of one new observation at x: s·√(1 + uᵀ(UᵀU)⁻¹u), u = (1, x − center, …).</summary>
    public double NewObservationSe(double x)
    {
        var u = Powers(x - center, Degree);
        double q = 0;
        for (int i = 0; i < u.Length; i++)
            for (int j = 0; j < u.Length; j++) q += u[i] * inverse[i, j] * u[j];
        return ResidualSd * Math.Sqrt(1 + q);
    }

    public static PolynomialFit LeastSquares(IReadOnlyList<(double X, double Y)> points, int degree)
    {
        int k = degree + 1;
        if (degree < 0) throw new ArgumentOutOfRangeException(nameof(degree));
        if (points.Select(p => p.X).Distinct().Count() < k)
            throw new ArgumentException($"a polynomial of degree {degree} needs points at {k} different x at least", nameof(points));
        double center = points.Average(p => p.X);
        var normal = new double[k, k];
        var rhs = new double[k];
        foreach (var (x, y) in points)
        {
            var u = Powers(x - center, degree);
            for (int i = 0; i < k; i++)
            {
                for (int j = 0; j < k; j++) normal[i, j] += u[i] * u[j];
                rhs[i] += u[i] * y;
            }
        }
        var inverse = Invert(normal);
        var c = new double[k];
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++) c[i] += inverse[i, j] * rhs[j];
        var fit = new PolynomialFit(center, c, inverse, points.Count, double.NaN);
        int dof = points.Count - k;
        double ssr = points.Sum(p => Math.Pow(p.Y - fit.Evaluate(p.X), 2));
        return new PolynomialFit(center, c, inverse, points.Count, dof > 0 ? Math.Sqrt(ssr / dof) : double.NaN);
    }

    static double[] Powers(double u, int degree)
    {
        var p = new double[degree + 1];
        p[0] = 1;
        for (int i = 1; i <= degree; i++) p[i] = p[i - 1] * u;
        return p;
    }

    static double Binomial(int n, int k) => k == 0 ? 1 : Binomial(n, k - 1) * (n - k + 1) / k;

    /// <summary>Gauss–Jordan elimination with partial pivoting.</summary>
    static double[,] Invert(double[,] a)
    {
        int n = a.GetLength(0);
        var m = new double[n, 2 * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) m[i, j] = a[i, j];
            m[i, n + i] = 1;
        }
        for (int col = 0; col < n; col++)
        {
            int pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(m[r, col]));
            if (m[pivot, col] == 0) throw new ArgumentException("the normal equations are singular");
            for (int k = 0; k < 2 * n; k++) (m[col, k], m[pivot, k]) = (m[pivot, k], m[col, k]);
            double d = m[col, col];
            for (int k = 0; k < 2 * n; k++) m[col, k] /= d;
            for (int r = 0; r < n; r++)
            {
                if (r == col || m[r, col] == 0) continue;
                double f = m[r, col];
                for (int k = 0; k < 2 * n; k++) m[r, k] -= f * m[col, k];
            }
        }
        var inv = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) inv[i, j] = m[i, n + j];
        return inv;
    }
}
