using System.Reflection;
using Plotly.NET;

namespace Proxies.Figures;

/// <summary>HTML and JSON renderings of a <see cref="Figure"/> that work without network access.</summary>
public static class FigureHtml
{
    // Plotly.NET ships plotly.js inside its assembly; reading it from there keeps the JS version in lock-step with the
    // JSON Plotly.NET emits. The name carries the version, so look it up by pattern rather than hard-coding it.
    private static readonly Lazy<string> Js = new(() =>
    {
        var assembly = typeof(GenericChart).Assembly;
        var resource = assembly.GetManifestResourceNames()
            .Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        return reader.ReadToEnd();
    });

    /// <summary>The minified plotly.js (about 3.6 MB) bundled with Plotly.NET.</summary>
    public static string PlotlyJs => Js.Value;

    /// <summary>
    /// A complete stand-alone HTML page with plotly.js inlined (about 3.6 MB + data): opens offline, in any browser,
    /// years from now. No CDN and no require.js are referenced.
    /// </summary>
    public static string Document(Figure figure)
    {
        var chart = Plotly.NET.Chart.withDisplayOptionsStyle(
            DocumentTitle: figure.Title,
            DocumentCharset: null,
            DocumentDescription: figure.Title,
            DocumentFavicon: null,
            AdditionalHeadTags: null,
            ChartDescription: null,
            PlotlyJSReference: PlotlyJSReference.Full).Invoke(figure.Chart);
        return GenericChart.toEmbeddedHTML(chart);
    }

    /// <summary>Writes <see cref="Document"/> to <paramref name="directory"/>/<c>Name</c>.html atomically and returns the path.</summary>
    public static string WriteDocument(Figure figure, string directory)
    {
        var path = Path.Combine(directory, figure.Name + ".html");
        Results.AtomicFile.WriteAllText(path, Document(figure));
        return path;
    }

    /// <summary>
    /// A <c>div</c> + <c>script</c> that draws the figure, for a notebook cell's HTML output. With
    /// <paramref name="includePlotlyJs"/> false the host page must already have <c>window.Plotly</c> (e.g. an earlier
    /// output included it); emit it once per page, as every copy adds 3.6 MB.
    /// </summary>
    public static string Fragment(Figure figure, bool includePlotlyJs)
    {
        var chart = GenericChart.toChartHTML(figure.Chart);
        // Hiding define/exports/module from plotly.js's UMD header makes it always set window.Plotly, even in hosts
        // that load require.js (classic Jupyter), where it would otherwise register as an AMD module and stay invisible.
        return includePlotlyJs
            ? $"<script type=\"text/javascript\">(function(define, exports, module) {{\n{PlotlyJs}\n}})();</script>\n{chart}"
            : chart;
    }

    /// <summary>The Plotly figure JSON (<c>data</c>, <c>layout</c>, <c>frames</c>), as accepted by <c>Plotly.newPlot</c> and <c>Plotly.toImage</c>.</summary>
    public static string Json(Figure figure) => GenericChart.toFigureJson(figure.Chart);
}
