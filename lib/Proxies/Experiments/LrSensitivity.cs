namespace Proxies.Experiments;

/// <summary>One point of a loss-vs-LR curve: the peak LR, the final held-out loss, ℓ0 and whether the run diverged.</summary>
public readonly record struct LrPoint(double Lr, double FinalLoss, double InitialLoss, bool Diverged);

/// <summary>
/// The paper's headline metric (docs/science/model-and-training.md#lr-sensitivity): LRsens = E_η[min(ℓ(η), ℓ0) − ℓ*], the mean over the LR grid
/// of each run's final loss clipped at the loss at initialisation ℓ0, minus the best final loss ℓ* over the grid.
/// A diverged run (NaN, inf, or a loss above ℓ0) counts as ℓ0.
/// </summary>
public static class LrSensitivity
{
    /// <summary>The clipped loss of one run: ℓ0 when diverged or not finite, else min(ℓ, ℓ0).</summary>
    public static double Clipped(LrPoint p) =>
        p.Diverged || !double.IsFinite(p.FinalLoss) ? p.InitialLoss : Math.Min(p.FinalLoss, p.InitialLoss);

    public static double Compute(IReadOnlyCollection<LrPoint> points)
    {
        if (points.Count == 0) throw new ArgumentException("LR sensitivity needs at least one run");
        var clipped = points.Select(Clipped).ToList();
        return clipped.Average() - clipped.Min();
    }

    /// <summary>Each run's share of <see cref="Compute"/>: (clipped ℓ(η) − ℓ*) / N, by LR; the shares sum to LRsens, and
    /// show which end of the grid the metric comes from.</summary>
    public static IReadOnlyList<(double Lr, double Share)> Shares(IReadOnlyCollection<LrPoint> points)
    {
        if (points.Count == 0) throw new ArgumentException("LR sensitivity needs at least one run");
        double best = points.Min(Clipped);
        return points.OrderBy(p => p.Lr).Select(p => (p.Lr, (Clipped(p) - best) / points.Count)).ToList();
    }

    /// <summary>For coupled weight decay the optimum moves (Fig 6): the smaller LRsens of the windows
    /// [1e-4, 1e-1] and [3e-4, 3e-1], each over the runs whose LR falls inside it (a window needs two runs at least).</summary>
    public static double TwoWindowMinimum(IReadOnlyCollection<LrPoint> points)
    {
        var windows = new[] { (1e-4, 1e-1), (3e-4, 3e-1) }
            .Select(w => points.Where(p => p.Lr >= w.Item1 * (1 - 1e-9) && p.Lr <= w.Item2 * (1 + 1e-9)).ToList())
            .Where(w => w.Count > 1)       // a window of one run would have LR sensitivity 0 by construction
            .ToList();
        if (windows.Count == 0) throw new ArgumentException("no two runs' LRs fall in [1e-4, 1e-1] or in [3e-4, 3e-1]");
        return windows.Min(Compute);
    }
}
