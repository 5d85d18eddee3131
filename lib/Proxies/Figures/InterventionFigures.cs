using Proxies.Experiments;
using Proxies.Training;

namespace Proxies.Figures;

/// <summary>
/// The paper's figures for an intervention (Figs 5–8): final loss against peak LR with one line per model size, one
/// panel per variant; and LR sensitivity against non-embedding parameters, one line per variant. One colour per
/// model size across the whole figure. Made from stored runs only.
/// </summary>
public static class InterventionFigures
{
    /// <summary>Runs grouped by their variant label, in the given order (others after, alphabetically).</summary>
    public static IReadOnlyList<(string Label, IReadOnlyList<RunResult> Runs)> ByVariant(IEnumerable<RunResult> runs, params string[] order) =>
        runs.GroupBy(r => r.Config.Variant)
            .OrderBy(g => Array.IndexOf(order, g.Key) is var i && i >= 0 ? i : order.Length).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<RunResult>)g.ToList())).ToList();

    static string SizeLabel(RunResult r) => $"d{r.Config.Model.Width}×{r.Config.Model.Depth} ({r.Params / 1e3:F0}k)";

    /// <summary>Final held-out loss against peak LR, one line per size, one panel per group. Diverged runs are drawn at
    /// their initial loss, as LR sensitivity counts them; seeds are averaged.</summary>
    public static Figure FinalLossVsLr(string name, string title, IReadOnlyList<(string Label, IReadOnlyList<RunResult> Runs)> panels) =>
        PerSizeVsLr(name, title, "final eval loss", panels, runs => Analysis.FinalLossByLr(runs).Select(x => (x.Lr, x.Loss)));

    /// <summary>Each LR's share of LR sensitivity (<see cref="Analysis.SensitivityShares"/>, seeds averaged) against peak
    /// LR, one line per size, one panel per group: the points of one line sum to that size's LR sensitivity.</summary>
    public static Figure SensitivityShares(string name, string title, IReadOnlyList<(string Label, IReadOnlyList<RunResult> Runs)> panels) =>
        PerSizeVsLr(name, title, "share of LR sensitivity (nats)", panels, runs => Analysis.SensitivityShares(runs).Select(x => (x.Lr, x.Share)));

    static Figure PerSizeVsLr(string name, string title, string yTitle, IReadOnlyList<(string Label, IReadOnlyList<RunResult> Runs)> panels,
        Func<IEnumerable<RunResult>, IEnumerable<(double Lr, double Y)>> points)
    {
        var sizes = panels.SelectMany(p => p.Runs).Select(r => (r.Config.Model.Width, r.Config.Model.Depth, r.Params)).Distinct()
            .OrderBy(s => s.Params).ToList();
        var built = panels.Select(p => new Panel("peak learning rate", yTitle,
            p.Runs.GroupBy(r => (r.Config.Model.Width, r.Config.Model.Depth)).OrderBy(g => g.First().Params).Select(g =>
            {
                var line = points(g).OrderBy(x => x.Lr).ToList();
                return new Series(SizeLabel(g.First()), line.Select(x => x.Lr).ToList(), line.Select(x => x.Y).ToList(),
                    Palette.ColourFor(sizes.FindIndex(s => s.Width == g.Key.Width && s.Depth == g.Key.Depth)), Markers: true);
            }).ToList(), LogX: true, Title: p.Label)).ToList();
        return Figure.SideBySide(name, title, built);
    }

    /// <summary>LR sensitivity against non-embedding parameters, one line per group; with several seeds, the
    /// seeds' lowest and highest values are drawn dotted around the mean.</summary>
    public static Figure SensitivityVsSize(string name, string title, IReadOnlyList<(string Label, IReadOnlyList<RunResult> Runs)> lines)
    {
        var series = new List<Series>();
        foreach (var ((label, runs), i) in lines.Select((l, i) => (l, i)))
        {
            var rows = Analysis.LrSensitivityBySize(runs).OrderBy(r => r.Params).ToList();
            var x = rows.Select(r => (double)r.Params).ToList();
            var colour = Palette.ColourFor(i);
            series.Add(new Series(label, x, rows.Select(r => r.LrSens).ToList(), colour, Markers: true));
            if (rows.Any(r => r.Seeds > 1))
            {
                series.Add(new Series($"{label}: seed min", x, rows.Select(r => r.Min).ToList(), colour, LineDash.Dot));
                series.Add(new Series($"{label}: seed max", x, rows.Select(r => r.Max).ToList(), colour, LineDash.Dot));
            }
        }
        return Figure.Line(name, title, new Panel("non-embedding parameters", "LR sensitivity (nats)", series, LogX: true));
    }
}
