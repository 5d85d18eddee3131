namespace Proxies.Experiments;

/// <summary>Two-sided 95% quantiles of Student's t, for the interval of a mean over a few seeds.</summary>
public static class StudentT
{
    /// <summary>t₀.₉₇₅ for 1 to 30 degrees of freedom (standard tables, to 3 decimals).</summary>
    static readonly double[] Quantiles =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>t₀.₉₇₅ with <paramref name="degreesOfFreedom"/> ≥ 1; beyond 30, the value at 30 (a little wider than the
    /// true quantile, which falls to 1.960).</summary>
    public static double Quantile975(int degreesOfFreedom) =>
        degreesOfFreedom < 1 ? throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), "a t interval needs two values at least")
        : Quantiles[Math.Min(degreesOfFreedom, Quantiles.Length) - 1];

    /// <summary>The 95% t interval of the mean of <paramref name="values"/> (two or more): mean ± t·s/√n.</summary>
    public static (double Mean, double Low, double High) Interval(IReadOnlyCollection<double> values)
    {
        if (values.Count < 2) throw new ArgumentException("a t interval needs two values at least");
        double mean = values.Average();
        double sd = Analysis.Sd(values);
        double half = Quantile975(values.Count - 1) * sd / Math.Sqrt(values.Count);
        return (mean, mean - half, mean + half);
    }
}
