using Proxies.Experiments;

namespace Proxies.Figures;

/// <summary>microsoft/mup's coordinate-check plot: mean |x| of each activation against width after the last step,
/// one panel per parametrisation, log-log. Flat lines mean the parametrisation is right.</summary>
public static class CoordinateCheckFigures
{
    public static Figure MeanAbsVsWidth(IReadOnlyList<CoordinateCheck.Point> points)
    {
        int last = points.Max(p => p.Step);
        var activations = points.Select(p => p.Activation).Distinct().ToList();
        var panels = points.GroupBy(p => p.Parametrisation).Select(g => new Panel("width", "mean |x| after the last step",
            activations.Select((a, i) =>
            {
                var line = g.Where(p => p.Activation == a && p.Step == last).OrderBy(p => p.Width).ToList();
                return new Series(a, line.Select(p => (double)p.Width).ToList(), line.Select(p => p.MeanAbs).ToList(),
                    Palette.ColourFor(i), a.StartsWith("block_out", StringComparison.Ordinal) ? LineDash.Dash : LineDash.Solid, Markers: true);
            }).ToList(), LogX: true, LogY: true, Title: g.Key == Model.MuParam.Off ? "standard" : $"μParam {g.Key.ToString().ToLowerInvariant()}")).ToList();
        return Figure.SideBySide("coordinate-check", $"Coordinate check: mean |activation| vs width after {last} Adam steps", panels);
    }
}
