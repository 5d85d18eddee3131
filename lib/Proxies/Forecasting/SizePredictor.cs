using Proxies.Experiments;

namespace Proxies.Forecasting;

/// <summary>How a metric is carried from the fit sizes to a larger one, in x = log10(non-embedding parameters):
/// persistence (the largest fitted size's value, the baseline a fit must beat), a straight line, or the paper's quadratic.</summary>
public enum FitFamily { Persistence, Line, Quadratic }

/// <summary>A prediction in the metric's fit scale (<see cref="LadderMetric.ToFitScale"/>): the value and the 95% half-width
/// for one new run at that size from the fit alone (seed noise and lack of fit; NaN with no degree of freedom left).</summary>
public readonly record struct Prediction(double Value, double FitHalfWidth);

public static class SizePredictor
{
    public static readonly FitFamily[] Families = [FitFamily.Persistence, FitFamily.Line, FitFamily.Quadratic];

    /// <summary>The fewest fit sizes each family needs.</summary>
    public static int SizesNeeded(FitFamily family) => family switch { FitFamily.Persistence => 1, FitFamily.Line => 2, _ => 3 };

    /// <summary>Predicts at <paramref name="x"/> from (x, y) points, every seed of every fit size one point.
    /// Persistence: the mean of the largest x's points, ± t·s·√(1 + 1/n) over its seeds. Line and quadratic: least squares
    /// over all points, ± t·s·√(1 + uᵀ(UᵀU)⁻¹u) (<see cref="PolynomialFit.NewObservationSe"/>).</summary>
    public static Prediction Predict(FitFamily family, IReadOnlyList<(double X, double Y)> points, double x)
    {
        if (family == FitFamily.Persistence)
        {
            double largest = points.Max(p => p.X);
            var ys = points.Where(p => p.X == largest).Select(p => p.Y).ToList();
            double half = ys.Count < 2 ? double.NaN : StudentT.Quantile975(ys.Count - 1) * Analysis.Sd(ys) * Math.Sqrt(1 + 1.0 / ys.Count);
            return new Prediction(ys.Average(), half);
        }
        var fit = PolynomialFit.LeastSquares(points, family == FitFamily.Line ? 1 : 2);
        double fitHalf = fit.DegreesOfFreedom < 1 ? double.NaN : StudentT.Quantile975(fit.DegreesOfFreedom) * fit.NewObservationSe(x);
        return new Prediction(fit.Evaluate(x), fitHalf);
    }
}
