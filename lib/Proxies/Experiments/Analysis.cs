using Proxies.Training;

namespace Proxies.Experiments;

/// <summary>LR sensitivity of one (variant, size): the mean over seeds of each seed's LRsens, and its range; the best
/// loss is the mean of each seed's best (clipped as LRsens clips), the best LR the lowest point of the seed-averaged curve.</summary>
public sealed record SensitivityRow(string Variant, int Width, int Depth, long Params, int Seeds, double LrSens, double Min, double Max, double BestLoss, double BestLr);

/// <summary>Tables computed from runs (the rows of runs.csv): what the report verb prints and notebooks plot.</summary>
public static class Analysis
{
    /// <summary>The sample standard deviation (n − 1 in the denominator) of two or more values.</summary>
    public static double Sd(IReadOnlyCollection<double> values)
    {
        if (values.Count < 2) throw new ArgumentException("a standard deviation needs two values at least");
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    /// <summary>The mean of <paramref name="values"/>; NaN when there are none (a window with nothing in it).</summary>
    public static double MeanOrNaN(IEnumerable<double> values) => values.DefaultIfEmpty(double.NaN).Average();

    /// <summary>The median: the middle value, or the mean of the two middle values of an even count; NaN when there are none.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        int n = sorted.Count;
        return n == 0 ? double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>The upper median: the middle value of an odd count, the higher of the two middle values of an even one;
    /// NaN when there are none.</summary>
    public static double UpperMedian(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    static LrPoint Point(RunResult r) => new(r.Config.Lr, r.FinalEvalLoss, r.InitialLoss, r.Diverged);

    /// <summary>LR sensitivity per variant and size (docs/science/model-and-training.md#lr-sensitivity); coupled weight decay uses the two-window minimum.</summary>
    public static List<SensitivityRow> LrSensitivityBySize(IEnumerable<RunResult> runs) =>
        runs.GroupBy(r => (r.Config.Variant, r.Config.Model.Width, r.Config.Model.Depth))
            .Select(g =>
            {
                var perSeed = g.GroupBy(r => r.Config.Seed).Select(s =>
                {
                    var points = s.Select(Point).ToList();
                    return s.First().Config.WdMode == Optimization.WeightDecayMode.Coupled
                        ? LrSensitivity.TwoWindowMinimum(points) : LrSensitivity.Compute(points);
                }).ToList();
                // Seeds averaged throughout, as the tables and figures average them: the best loss is the mean of each
                // seed's best, the best LR the lowest point of the seed-averaged curve.
                var bestPerSeed = g.GroupBy(r => r.Config.Seed).Select(s => s.Min(r => LrSensitivity.Clipped(Point(r)))).Average();
                var bestLr = g.GroupBy(r => r.Config.Lr).MinBy(l => l.Average(r => LrSensitivity.Clipped(Point(r))))!.Key;
                return new SensitivityRow(g.Key.Variant, g.Key.Width, g.Key.Depth, g.First().Params, perSeed.Count,
                    perSeed.Average(), perSeed.Min(), perSeed.Max(), bestPerSeed, bestLr);
            })
            .OrderBy(r => r.Variant, StringComparer.Ordinal).ThenBy(r => r.Params)
            .ToList();

    /// <summary>Each LR's share of LR sensitivity (<see cref="LrSensitivity.Shares"/>) by (variant, size), averaged over
    /// seeds: the shares of one (variant, size) sum to its <see cref="SensitivityRow.LrSens"/>.</summary>
    public static List<(string Variant, int Width, int Depth, double Lr, double Share)> SensitivityShares(IEnumerable<RunResult> runs) =>
        runs.GroupBy(r => (r.Config.Variant, r.Config.Model.Width, r.Config.Model.Depth))
            .SelectMany(g => g.GroupBy(r => r.Config.Seed)
                .SelectMany(s => LrSensitivity.Shares(s.Select(Point).ToList()))
                .GroupBy(x => x.Lr)
                .Select(l => (g.Key.Variant, g.Key.Width, g.Key.Depth, l.Key, l.Average(x => x.Share))))
            .OrderBy(x => x.Variant, StringComparer.Ordinal).ThenBy(x => x.Width).ThenBy(x => x.Depth).ThenBy(x => x.Item4)
            .ToList();

    /// <summary>Final eval loss averaged over seeds, by (variant, size) and LR; diverged runs shown as their ℓ0 clip.</summary>
    public static List<(string Variant, int Width, int Depth, double Lr, double Loss, int Diverged)> FinalLossByLr(IEnumerable<RunResult> runs) =>
        runs.GroupBy(r => (r.Config.Variant, r.Config.Model.Width, r.Config.Model.Depth, r.Config.Lr))
            .Select(g => (g.Key.Variant, g.Key.Width, g.Key.Depth, g.Key.Lr, g.Average(r => LrSensitivity.Clipped(Point(r))), g.Count(r => r.Diverged)))
            .OrderBy(x => x.Variant, StringComparer.Ordinal).ThenBy(x => x.Width).ThenBy(x => x.Depth).ThenBy(x => x.Lr)
            .ToList();
}
