using Proxies.Display;

namespace Proxies.Figures;

/// <summary>
/// Where a shown figure goes: files in the figures folder (a notebook parameter, default "figures"): Name.html,
/// fully offline, Name.json (plotly.js's figure: the plotted data, to re-plot or compare), and Name.png + Name.svg through a headless Chromium started once per process; and a notebook
/// output bundle: an interactive chart (plotly.js embedded with the first figure of a kernel), the PNG for
/// viewers that run no scripts (GitHub, nbviewer), and a text line naming the files.
/// </summary>
public static class FigureOutput
{
    static readonly Lazy<(ImageExporter? Exporter, string? Problem)> Images = new(() =>
    {
        var made = ImageExporter.TryCreateAsync().GetAwaiter().GetResult();
        if (made.Exporter is { } e) AppDomain.CurrentDomain.ProcessExit += (_, _) => e.Dispose();
        return made;
    });
    // plotly.js (3.6 MB) goes into the first figure a kernel shows; later figures of the same page use window.Plotly.
    static bool plotlyJsSent;
    static bool warned;

    public static string Folder => NotebookParameters.Get("figures", "figures");

    /// <summary>The PNG's pixels per CSS pixel: 2 (the default) for slides and print, 1 for the repository's gallery.</summary>
    public static double PngScale => double.Parse(NotebookParameters.Get("png-scale", "2"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether PNG/SVG export works here, and if not, what to do.</summary>
    public static string? ImageProblem => Images.Value.Problem;

    /// <summary>Further files every shown figure is written as, besides the notebook's own (a notebook parameter, e.g.
    /// "pdf:column,svg:page": format and size pairs, set by `notebooks --export`).</summary>
    public static IReadOnlyList<(string Format, FigureSize Size)> Exports =>
        NotebookParameters.Get("exports", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ParseExport).ToList();

    /// <summary>"format:size" (size screen when left out), checked: format png, svg or pdf, and a <see cref="FigureSize"/> name.</summary>
    public static (string Format, FigureSize Size) ParseExport(string spec)
    {
        var parts = spec.Split(':', 2);
        var format = parts[0].Trim().ToLowerInvariant();
        if (!ImageExporter.Formats.Contains(format)) throw new ArgumentException($"figure export '{spec}': the format is {ImageExporter.FormatChoices}");
        return (format, FigureSize.Parse(parts.Length > 1 ? parts[1] : "screen"));
    }

    /// <summary>Writes <paramref name="figure"/> as Name-size.format into the figures folder (PNG at 2×); returns the path.</summary>
    public static string Export(Figure figure, string format, FigureSize size)
    {
        format = format.Trim().ToLowerInvariant();
        if (Images.Value.Exporter is not { } exporter) throw new InvalidOperationException(Images.Value.Problem);
        var bytes = exporter.RenderAsync(figure, format, size).GetAwaiter().GetResult();   // refuses an unknown format
        var folder = Path.GetFullPath(Folder);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{figure.Name}-{size.Name}.{format}");
        Runtime.AtomicFile.WriteAllBytes(path, bytes);
        return path;
    }

    public static IReadOnlyDictionary<string, string> SaveAndRender(Figure figure)
    {
        var folder = Path.GetFullPath(Folder);
        var saved = new List<string> { FigureHtml.WriteDocument(figure, folder), FigureHtml.WriteJson(figure, folder) };
        var bundle = new Dictionary<string, string>();
        if (Images.Value.Exporter is { } exporter)
        {
            var (png, svg, pngBytes) = exporter.WriteAsync(figure, folder, PngScale).GetAwaiter().GetResult();
            saved.Add(png); saved.Add(svg);
            saved.AddRange(Exports.Select(e => Export(figure, e.Format, e.Size)));
            bundle["image/png"] = Convert.ToBase64String(pngBytes);
        }
        else if (!warned)
        {
            warned = true;
            Console.WriteLine(Images.Value.Problem);
        }
        bundle["text/html"] = FigureHtml.Fragment(figure, includePlotlyJs: !plotlyJsSent);
        plotlyJsSent = true;
        bundle["text/plain"] = $"{figure.Title} (saved: {string.Join(", ", saved.Select(Path.GetFileName))} in {folder})";
        return bundle;
    }
}
