namespace Proxies.Claims;

/// <summary>The optimal learning rate of a loss-vs-LR curve, read between the grid's points.</summary>
public static class OptimalLr
{
    /// <summary>log₁₀ of the vertex of the parabola in log₁₀ LR through the best grid point and its two neighbours (it lies
    /// between the neighbours, since the middle point is the lowest); at an end of the grid, the best grid point itself.
    /// Of equal losses the smallest LR counts as the best, so the left neighbour is strictly higher and the parabola opens
    /// upwards.</summary>
    public static double Log10(IReadOnlyList<(double Lr, double Loss)> curve)
    {
        if (curve.Count == 0) throw new ArgumentException("an optimal LR needs at least one run");
        var points = curve.OrderBy(p => p.Lr).Select(p => (X: Math.Log10(p.Lr), Y: p.Loss)).ToList();
        int i = points.Select((p, k) => (p.Y, k)).Min().k;
        if (i == 0 || i == points.Count - 1) return points[i].X;
        var (a, b, c) = (points[i - 1], points[i], points[i + 1]);
        // Vertex of the parabola through three points (Lagrange form, unequal spacing).
        double numerator = (b.X - a.X) * (b.X - a.X) * (b.Y - c.Y) - (b.X - c.X) * (b.X - c.X) * (b.Y - a.Y);
        double denominator = (b.X - a.X) * (b.Y - c.Y) - (b.X - c.X) * (b.Y - a.Y);
        return b.X - 0.5 * numerator / denominator;
    }
}
