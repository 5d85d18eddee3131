using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Proxies.Figures;

/// <summary>A workbook figure: a file-safe name (used for .html/.png/.svg file names), a title and its panels.</summary>
/// <remarks>
/// The figure is plain data (panels of named series) and becomes plotly.js's own figure JSON in <see cref="Json"/>.
/// It is not built with Plotly.NET's chart API: Plotly.NET 6 needs FSharp.Core 10.1 and Giraffe.ViewEngine, and the
/// .NET Interactive kernel binds every F# assembly to its own FSharp.Core 10.0, so Plotly.NET's code throws there
/// (MissingMethodException in its static initialiser). plotly.js itself still comes from the Plotly.NET package
/// (<see cref="FigureHtml.PlotlyJs"/>).
/// </remarks>
public sealed partial class Figure : Display.IRichOutput
{
    /// <summary>Horizontal gap between side-by-side panels, as a fraction of the figure's width.</summary>
    const double PanelGap = 0.08;

    Figure(string name, string title, IReadOnlyList<Panel> panels)
    {
        if (panels.Count == 0) throw new ArgumentException("A figure needs at least one panel.", nameof(panels));
        foreach (var p in panels)
            if (p.Series.Count == 0 && p.Map is null) throw new ArgumentException($"Panel '{p.YTitle}' has no series.", nameof(panels));
        Name = ToSlug(name);
        Title = title;
        Panels = panels;
    }

    /// <summary>Lower-case slug of letters, digits, '-' and '_': safe as a file name and as an HTML id on every OS.</summary>
    public string Name { get; }

    public string Title { get; }

    public IReadOnlyList<Panel> Panels { get; }

    /// <summary>Turns any label into the slug used by <see cref="Name"/> (runs of other characters become one '-').</summary>
    public static string ToSlug(string name)
    {
        var slug = NotSlugChars().Replace(name.Trim().ToLowerInvariant(), "-").Trim('-');
        return slug.Length > 0 ? slug : throw new ArgumentException($"Figure name '{name}' has no letters or digits.", nameof(name));
    }

    /// <summary>Saves the figure (HTML, and PNG + SVG when a browser is available) and shows it in the notebook.</summary>
    public void Show() => Display.NotebookOutput.Publish(Bundle());

    /// <summary>Saves the figure's files and returns its notebook output (see <see cref="FigureOutput"/>).</summary>
    public IReadOnlyDictionary<string, string> Bundle() => FigureOutput.SaveAndRender(this);

    /// <summary>A single-panel line chart.</summary>
    public static Figure Line(string name, string title, Panel panel) => new(name, title, [panel]);

    /// <summary>
    /// Panels side by side in one row (small multiples), each with its own axis titles and log/linear scales, under one
    /// figure title. A series name that appears in several panels gets one legend entry, and clicking it toggles it in
    /// every panel, so give the same run the same name (and colour) in each panel.
    /// </summary>
    public static Figure SideBySide(string name, string title, params IReadOnlyList<Panel> panels) => new(name, title, panels);

    /// <summary>Writes the figure as <paramref name="format"/> (pdf, svg or png) at <paramref name="size"/> into the
    /// notebook's figures folder, as Name-size.format; returns the path. E.g. <c>fig.Export("pdf", "column")</c> for one
    /// column of a paper.</summary>
    public string Export(string format, string size = "screen") => FigureOutput.Export(this, format, FigureSize.Parse(size));

    /// <summary>The plotly.js figure (<c>data</c> and <c>layout</c>), as accepted by <c>Plotly.newPlot</c> and
    /// <c>Plotly.toImage</c>, drawn at <paramref name="size"/> (<see cref="FigureSize.Screen"/> unless told).</summary>
    public string Json(FigureSize? size = null)
    {
        size ??= FigureSize.Screen;
        int f = size.FontSize;
        var data = new JsonArray();
        var layout = new JsonObject
        {
            ["width"] = size.Width,
            ["height"] = HeightAt(size),
            ["font"] = new JsonObject { ["size"] = f },
            ["paper_bgcolor"] = "white",
            ["plot_bgcolor"] = "white",
            ["legend"] = new JsonObject { ["tracegroupgap"] = 0 },
        };
        // A paper's figure has its title in the caption: the paper sizes draw none, and keep a small top margin.
        if (size.Titled) layout["title"] = new JsonObject { ["text"] = Title, ["font"] = new JsonObject { ["size"] = f + 2 } };
        else layout["margin"] = new JsonObject { ["t"] = 3 * f, ["r"] = 2 * f };
        if (size.Narrow)
        {
            // No width to spare beside the plot: the legend goes under it, one entry per row, in a bottom margin that
            // HeightAt added to the figure for it.
            layout["legend"] = new JsonObject
            {
                ["tracegroupgap"] = 0, ["orientation"] = "h", ["x"] = 0, ["xanchor"] = "left",
                ["yref"] = "container", ["y"] = 0, ["yanchor"] = "bottom",
            };
            layout["margin"] = new JsonObject { ["l"] = 5 * f, ["r"] = f, ["t"] = size.Titled ? 4 * f : 2 * f, ["b"] = 4 * f + LegendHeight(size) };
        }
        var legendNames = new HashSet<string>();
        var annotations = new JsonArray();
        double width = (1 - PanelGap * (Panels.Count - 1)) / Panels.Count;
        for (int i = 0; i < Panels.Count; i++)
        {
            var panel = Panels[i];
            string suffix = i == 0 ? "" : (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            double left = i * (width + PanelGap);
            layout["xaxis" + suffix] = Axis(panel.XTitle, panel.LogX, "y" + suffix, [left, left + width]);
            layout["yaxis" + suffix] = Axis(panel.YTitle, panel.LogY, "x" + suffix, null);
            if (panel.Map is { } map)
            {
                layout["yaxis" + suffix]!["type"] = "category";   // a heatmap's rows are labels
                data.Add(HeatmapTrace(map, "x" + suffix, "y" + suffix, colourBarX: left + width + 0.005, showScale: i == Panels.Count - 1));
            }
            foreach (var s in panel.Series)
            {
                if (s.Band is { } band) data.Add(BandTrace(s, band.Low, band.High, "x" + suffix, "y" + suffix));
                data.Add(Trace(s, "x" + suffix, "y" + suffix, showLegend: legendNames.Add(s.Name)));
            }
            if (Panels.Count > 1 && panel.Title is { Length: > 0 } t)
                annotations.Add(new JsonObject
                {
                    ["text"] = t, ["showarrow"] = false, ["xref"] = "paper", ["yref"] = "paper",
                    ["x"] = left + width / 2, ["y"] = 1, ["xanchor"] = "center", ["yanchor"] = "bottom",
                    ["font"] = new JsonObject { ["size"] = f + 2 },
                });
        }
        if (annotations.Count > 0) layout["annotations"] = annotations;
        return new JsonObject { ["data"] = data, ["layout"] = layout }.ToJsonString();
    }

    /// <summary>The figure's height at <paramref name="size"/>: the size's own, and at a narrow size the legend's rows
    /// under the plot (the PDF page and the PNG are this tall).</summary>
    public int HeightAt(FigureSize size) => size.Height + LegendHeight(size);

    int LegendHeight(FigureSize size) => size.Narrow ? LegendEntries * (2 * size.FontSize) : 0;

    int LegendEntries => Panels.SelectMany(p => p.Series).Select(s => s.Name).Distinct().Count();

    /// <summary>A linear or log axis drawn as a mirrored box with a light grid (the look of Plotly.NET's lightMirrored template).</summary>
    static JsonObject Axis(string title, bool log, string anchor, double[]? domain)
    {
        var axis = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = title },
            ["type"] = log ? "log" : "linear",
            ["anchor"] = anchor,
            ["showline"] = true, ["mirror"] = true, ["linecolor"] = "#444", ["ticks"] = "outside",
            ["showgrid"] = true, ["gridcolor"] = "#e5e5e5", ["zeroline"] = false,
        };
        if (log) axis["exponentformat"] = "power";
        if (domain is not null) axis["domain"] = new JsonArray(domain[0], domain[1]);
        return axis;
    }

    static JsonObject Trace(Series s, string xaxis, string yaxis, bool showLegend) => new()
    {
        ["type"] = "scatter",
        ["mode"] = s.MarkersOnly ? "markers" : s.Markers ? "lines+markers" : "lines",
        ["name"] = s.Name,
        ["legendgroup"] = s.Name,
        ["showlegend"] = showLegend,
        ["x"] = Numbers(s.X),
        ["y"] = Numbers(s.Y),
        ["xaxis"] = xaxis,
        ["yaxis"] = yaxis,
        ["line"] = new JsonObject { ["color"] = s.Colour, ["dash"] = s.Dash.ToString().ToLowerInvariant() },
        ["marker"] = s.Hollow ? new JsonObject { ["color"] = s.Colour, ["symbol"] = "circle-open", ["size"] = 9 } : new JsonObject { ["color"] = s.Colour },
    };

    /// <summary>A series' band: one closed shape, along the high values and back along the low ones, filled in the
    /// series' colour at 20% opacity, with no line or legend entry of its own.</summary>
    static JsonObject BandTrace(Series s, IReadOnlyList<double> low, IReadOnlyList<double> high, string xaxis, string yaxis) => new()
    {
        ["type"] = "scatter",
        ["mode"] = "lines",
        ["name"] = s.Name + " (band)",
        ["legendgroup"] = s.Name,
        ["showlegend"] = false,
        ["hoverinfo"] = "skip",
        ["x"] = Numbers([.. s.X, .. s.X.Reverse()]),
        ["y"] = Numbers([.. high, .. low.Reverse()]),
        ["xaxis"] = xaxis,
        ["yaxis"] = yaxis,
        ["fill"] = "toself",
        ["fillcolor"] = s.Colour,
        ["opacity"] = 0.2,
        ["line"] = new JsonObject { ["width"] = 0, ["color"] = s.Colour },
    };

    /// <summary>A heatmap on its panel's axes; one colour bar (the last panel's) serves panels that share the scale.</summary>
    static JsonObject HeatmapTrace(Heatmap map, string xaxis, string yaxis, double colourBarX, bool showScale) => new()
    {
        ["type"] = "heatmap",
        ["name"] = map.Name,
        ["x"] = Numbers(map.X),
        ["y"] = new JsonArray(map.Rows.Select(r => JsonValue.Create(r)).ToArray<JsonNode?>()),
        ["z"] = new JsonArray(map.Z.Select(row => (JsonNode?)Numbers(row)).ToArray()),
        ["zmin"] = map.Min,
        ["zmax"] = map.Max,
        ["colorscale"] = "Viridis",
        ["showscale"] = showScale,
        ["colorbar"] = new JsonObject { ["title"] = new JsonObject { ["text"] = map.ColourTitle }, ["x"] = colourBarX, ["thickness"] = 12 },
        ["xaxis"] = xaxis,
        ["yaxis"] = yaxis,
    };

    /// <summary>JSON has no NaN or infinity: a non-finite value becomes null, which plotly.js draws as a gap.</summary>
    static JsonArray Numbers(IReadOnlyList<double> values) =>
        new(values.Select(v => double.IsFinite(v) ? JsonValue.Create(v) : null).ToArray<JsonNode?>());

    [GeneratedRegex("[^a-z0-9_-]+")]
    private static partial Regex NotSlugChars();
}
