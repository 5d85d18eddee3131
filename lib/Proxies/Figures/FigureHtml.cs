using System.Net;
using System.Runtime.Loader;

namespace Proxies.Figures;

/// <summary>HTML and JSON renderings of a <see cref="Figure"/> that work without network access.</summary>
public static class FigureHtml
{
    // plotly.js ships inside the Plotly.NET package's assembly. It is read as a resource from an assembly load context
    // of its own, so none of Plotly.NET's F# code runs (it cannot in the .NET Interactive kernel: see Figure). The
    // name carries the version, so it is looked up by pattern rather than hard-coded.
    static readonly Lazy<string> Js = new(() =>
    {
        var path = Path.Combine(Path.GetDirectoryName(typeof(FigureHtml).Assembly.Location)!, "Plotly.NET.dll");
        if (!File.Exists(path)) throw new FileNotFoundException($"plotly.js is read from Plotly.NET.dll, which is not beside the library ({path}); rebuild the workbook.", path);
        var context = new AssemblyLoadContext("plotly.js", isCollectible: true);
        try
        {
            var assembly = context.LoadFromAssemblyPath(path);
            var resource = assembly.GetManifestResourceNames()
                .Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            return reader.ReadToEnd();
        }
        finally { context.Unload(); }
    });

    /// <summary>The minified plotly.js (about 3.6 MB) bundled with Plotly.NET.</summary>
    public static string PlotlyJs => Js.Value;

    /// <summary>
    /// A complete stand-alone HTML page with plotly.js inlined (about 3.6 MB + data): opens offline, in any browser,
    /// years from now. No CDN and no require.js are referenced.
    /// </summary>
    public static string Document(Figure figure) => $"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(figure.Title)}</title>
        <script type="text/javascript">{PlotlyJs}</script></head>
        <body>{Plot(figure)}</body></html>
        """;

    /// <summary>Writes <see cref="Document"/> to <paramref name="directory"/>/<c>Name</c>.html atomically and returns the path.</summary>
    public static string WriteDocument(Figure figure, string directory)
    {
        var path = Path.Combine(directory, figure.Name + ".html");
        Runtime.AtomicFile.WriteAllText(path, Document(figure));
        return path;
    }

    /// <summary>Writes the figure's plotly.js JSON (<see cref="Figure.Json"/>: its data and layout) to
    /// <paramref name="directory"/>/<c>Name</c>.json atomically and returns the path.</summary>
    public static string WriteJson(Figure figure, string directory)
    {
        var path = Path.Combine(directory, figure.Name + ".json");
        Runtime.AtomicFile.WriteAllText(path, figure.Json());
        return path;
    }

    /// <summary>
    /// A <c>div</c> + <c>script</c> that draws the figure, for a notebook cell's HTML output. With
    /// <paramref name="includePlotlyJs"/> false the host page must already have <c>window.Plotly</c> (e.g. an earlier
    /// output included it); emit it once per page, as every copy adds 3.6 MB.
    /// </summary>
    public static string Fragment(Figure figure, bool includePlotlyJs) =>
        // Hiding define/exports/module from plotly.js's UMD header makes it always set window.Plotly, even in hosts
        // that load require.js (classic Jupyter), where it would otherwise register as an AMD module and stay invisible.
        includePlotlyJs
            ? $"<script type=\"text/javascript\">(function(define, exports, module) {{\n{PlotlyJs}\n}})();</script>\n{Plot(figure)}"
            : Plot(figure);

    // A fresh id per rendering: a notebook may show the same figure twice, and ids must stay unique in the page.
    static string Plot(Figure figure)
    {
        var id = $"{figure.Name}-{Guid.NewGuid():N}";
        return $$"""
            <div id="{{id}}" style="width:{{FigureSize.Screen.Width}}px;height:{{FigureSize.Screen.Height}}px;"></div>
            <script type="text/javascript">(function() { var fig = {{figure.Json()}}; Plotly.newPlot("{{id}}", fig.data, fig.layout, { responsive: true }); })();</script>
            """;
    }
}
