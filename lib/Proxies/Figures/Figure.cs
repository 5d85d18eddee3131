using System.Text.RegularExpressions;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;
using Plotly.NET.CSharp;

namespace Proxies.Figures;

/// <summary>A workbook figure: a file-safe name (used for .html/.png/.svg file names), a title and the Plotly chart.</summary>
/// <remarks>
/// Built on Plotly.NET 6 + Plotly.NET.CSharp 0.14. Plotly.NET 6 dropped the core's C# extension methods, so trace and
/// axis/size helpers come from Plotly.NET.CSharp, while title and template still need the core F# functions
/// (<c>Chart.withX(...)</c> returns an F# function that is applied with <c>.Invoke(chart)</c>; F# optional
/// arguments must be passed explicitly, <c>null</c> meaning "not set").
/// </remarks>
public sealed partial class Figure : Notebooks.IRichOutput
{
    /// <summary>Default size in CSS pixels; the image exporter renders at this size unless told otherwise.</summary>
    public const int DefaultWidth = 900, DefaultHeight = 500;

    public Figure(string name, string title, GenericChart chart)
    {
        Name = ToSlug(name);
        Title = title;
        Chart = chart;
    }

    /// <summary>Lower-case slug of letters, digits, '-' and '_': safe as a file name and as an HTML id on every OS.</summary>
    public string Name { get; }

    public string Title { get; }

    public GenericChart Chart { get; }

    /// <summary>Turns any label into the slug used by <see cref="Name"/> (runs of other characters become one '-').</summary>
    public static string ToSlug(string name)
    {
        var slug = NotSlugChars().Replace(name.Trim().ToLowerInvariant(), "-").Trim('-');
        return slug.Length > 0 ? slug : throw new ArgumentException($"Figure name '{name}' has no letters or digits.", nameof(name));
    }

    /// <summary>Saves the figure (HTML, and PNG + SVG when a browser is available) and shows it in the notebook.</summary>
    public void Show() => Notebooks.NotebookOutput.Publish(Bundle());

    /// <summary>Saves the figure's files and returns its notebook output (see <see cref="FigureOutput"/>).</summary>
    public IReadOnlyDictionary<string, string> Bundle() => FigureOutput.SaveAndRender(this);

    /// <summary>A single-panel line chart.</summary>
    public static Figure Line(string name, string title, Panel panel) =>
        new(name, title, Finish(Axes(panel, []), title));

    /// <summary>
    /// Panels side by side in one row (small multiples), each with its own axis titles and log/linear scales, under one
    /// figure title. A series name that appears in several panels gets one legend entry, and clicking it toggles it in
    /// every panel, so give the same run the same name (and colour) in each panel.
    /// </summary>
    public static Figure SideBySide(string name, string title, params IReadOnlyList<Panel> panels)
    {
        if (panels.Count == 0) throw new ArgumentException("A figure needs at least one panel.", nameof(panels));
        var legendNames = new HashSet<string>();
        // Grid keeps each chart's own x/y axis style and re-anchors it as xaxisN/yaxisN, so panels are styled before gridding.
        var grid = CSharpChart.Grid(
            panels.Select(p => Axes(p, legendNames)),
            nRows: 1,
            nCols: panels.Count,
            SubPlotTitles: panels.Select(p => p.Title ?? "").ToArray(),
            XGap: 0.15);
        return new(name, title, Finish(grid, title));
    }

    private static GenericChart Axes(Panel panel, HashSet<string> legendNames)
    {
        if (panel.Series.Count == 0) throw new ArgumentException($"Panel '{panel.YTitle}' has no series.", nameof(panel));
        var traces = panel.Series.Select(s =>
            CSharpChart.Line<double, double, string>(
                    s.X, s.Y,
                    ShowMarkers: s.Markers,
                    Name: s.Name,
                    ShowLegend: legendNames.Add(s.Name),
                    LineColor: Color.fromString(s.Colour),
                    LineDash: DrawingStyle(s.Dash))
                .WithTraceInfo(LegendGroup: s.Name));
        return CSharpChart.Combine(traces)
            .WithXAxisStyle<double, double, string>(TitleText: panel.XTitle, AxisType: AxisType(panel.LogX))
            .WithYAxisStyle<double, double, string>(TitleText: panel.YTitle, AxisType: AxisType(panel.LogY));
    }

    private static GenericChart Finish(GenericChart chart, string title)
    {
        chart = Plotly.NET.Chart.withTitle(title, null).Invoke(chart);
        chart = Plotly.NET.Chart.withTemplate(ChartTemplates.lightMirrored).Invoke(chart);
        return chart.WithSize(DefaultWidth, DefaultHeight);
    }

    private static StyleParam.AxisType AxisType(bool log) => log ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear;

    private static StyleParam.DrawingStyle DrawingStyle(LineDash dash) => dash switch
    {
        LineDash.Dash => StyleParam.DrawingStyle.Dash,
        LineDash.Dot => StyleParam.DrawingStyle.Dot,
        _ => StyleParam.DrawingStyle.Solid,
    };

    [GeneratedRegex("[^a-z0-9_-]+")]
    private static partial Regex NotSlugChars();
}
