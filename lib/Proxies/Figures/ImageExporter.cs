using System.Diagnostics;
using Microsoft.Playwright;

namespace Proxies.Figures;

/// <summary>
/// Renders figures to PNG, SVG and PDF with plotly.js's own <c>Plotly.toImage</c> inside one headless Chromium that is
/// started once and reused, so each further figure costs a render, not a browser start.
/// </summary>
/// <remarks>
/// Uses an installed Chromium through Playwright's <c>ExecutablePath</c>; Playwright's own browser download is never
/// used (nor Plotly.NET.ImageExport, which downloads one), so this works on machines without internet. Calls are
/// serialised: one page, one figure at a time.
/// </remarks>
public sealed class ImageExporter : IAsyncDisposable, IDisposable
{
    /// <summary>Environment variable naming the Chrome/Chromium binary; overrides the search of the usual install paths.</summary>
    public const string ChromiumVariable = "PROXIES_CHROMIUM";

    private static readonly string[] KnownPaths =
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

    // Headless and root-safe (--no-sandbox); the rest stop Chromium phoning home (update checks, sync, QUIC probes),
    // which on a machine without internet only produces a stream of refused-connection errors and slows start-up.
    private static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    // Renders in the page, not in .NET: PNG comes back as base64 of the bytes, SVG as text (toImage URL-encodes it).
    private const string RenderScript = """
        async ([json, format, width, height, scale]) => {
            const url = await Plotly.toImage(JSON.parse(json), { format, width, height, scale });
            const body = url.substring(url.indexOf(',') + 1);
            return format === 'svg' ? decodeURIComponent(body) : body;
        }
        """;

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly IPage _page;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private ImageExporter(IPlaywright playwright, IBrowser browser, IPage page, TimeSpan startup)
    {
        _playwright = playwright;
        _browser = browser;
        _page = page;
        StartupTime = startup;
    }

    /// <summary>Wall time <see cref="TryCreateAsync"/> took to start the browser and load plotly.js.</summary>
    public TimeSpan StartupTime { get; }

    /// <summary>
    /// Starts Chromium and loads plotly.js. Returns a null exporter and a message saying how to fix it, rather than
    /// throwing, when no usable browser is found, so that a workbook still produces its HTML figures without one.
    /// </summary>
    public static async Task<(ImageExporter? Exporter, string? Problem)> TryCreateAsync()
    {
        var (chromium, problem) = FindChromium();
        if (chromium is null) return (null, problem);

        var clock = Stopwatch.StartNew();
        IPlaywright? playwright = null;
        IBrowser? browser = null;
        try
        {
            playwright = await Playwright.CreateAsync();
            browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = Args });
            var page = await browser.NewPageAsync();
            // AddScriptTag with inline content: no file or network URL involved, and it resolves once the script has run.
            await page.AddScriptTagAsync(new() { Content = FigureHtml.PlotlyJs });
            return (new ImageExporter(playwright, browser, page, clock.Elapsed), null);
        }
        // Anything can fail here (driver not deployed, browser too old, missing shared libraries), and none of it may stop
        // the workbook: image export is optional, so every failure becomes the message.
        catch (Exception e)
        {
            if (browser is not null) await browser.DisposeAsync();
            playwright?.Dispose();
            // Playwright's first line ("Target ... closed") rarely says why; running the binary by hand does.
            return (null, $"Chromium at '{chromium}' did not start for PNG/SVG export ({e.GetType().Name}: {FirstLine(e.Message)}); " +
                          $"run `{chromium} --headless --no-sandbox --dump-dom about:blank` to see its error. {HowToFix}");
        }
    }

    /// <summary>PNG bytes of the figure at <paramref name="size"/> (<see cref="FigureSize.Screen"/> unless told);
    /// <paramref name="scale"/> multiplies the pixel count (2, the default, gives 1800 × 1000 at the screen size, for
    /// slides and print).</summary>
    public async Task<byte[]> RenderPngAsync(Figure figure, FigureSize? size = null, double scale = 2)
        => Convert.FromBase64String(await ToImageAsync(figure, "png", size ?? FigureSize.Screen, scale));

    /// <summary>SVG text of the figure (vector; text stays text, so fonts are resolved by the viewer).</summary>
    public Task<string> RenderSvgAsync(Figure figure, FigureSize? size = null)
        => ToImageAsync(figure, "svg", size ?? FigureSize.Screen, 1);

    /// <summary>
    /// PDF bytes of the figure: its SVG printed by Chromium onto one page of exactly its size (<see cref="Figure.HeightAt"/>), so lines
    /// and text stay vectors (LaTeX's \includegraphics takes it as it is) and the page is the figure, without margins.
    /// </summary>
    public async Task<byte[]> RenderPdfAsync(Figure figure, FigureSize size)
    {
        var svg = await RenderSvgAsync(figure, size);
        await _gate.WaitAsync();
        try
        {
            var page = await _browser.NewPageAsync();
            try
            {
                int height = figure.HeightAt(size);
                await page.SetContentAsync($"<!DOCTYPE html><html><head><style>@page {{ size: {size.Width}px {height}px; margin: 0 }} " +
                                           $"html, body {{ margin: 0; padding: 0 }} svg {{ display: block }}</style></head><body>{svg}</body></html>");
                return await page.PdfAsync(new()
                {
                    Width = $"{size.Width}px", Height = $"{height}px", PrintBackground = true, PageRanges = "1",
                    Margin = new() { Top = "0", Right = "0", Bottom = "0", Left = "0" },
                });
            }
            finally { await page.CloseAsync(); }
        }
        finally { _gate.Release(); }
    }

    /// <summary>The file formats <see cref="RenderAsync"/> writes.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["png", "svg", "pdf"];

    /// <summary><see cref="Formats"/> as a message lists them: "png, svg or pdf".</summary>
    public static string FormatChoices => $"{string.Join(", ", Formats.SkipLast(1))} or {Formats[^1]}";

    /// <summary>The figure as <paramref name="format"/> (one of <see cref="Formats"/>) at <paramref name="size"/>, as bytes.</summary>
    public async Task<byte[]> RenderAsync(Figure figure, string format, FigureSize size, double pngScale = 2) => format switch
    {
        "png" => await RenderPngAsync(figure, size, pngScale),
        "svg" => System.Text.Encoding.UTF8.GetBytes(await RenderSvgAsync(figure, size)),
        "pdf" => await RenderPdfAsync(figure, size),
        _ => throw new ArgumentException($"unknown figure format '{format}': use {FormatChoices}"),
    };

    /// <summary>Writes <c>Name</c>.png (at <paramref name="pngScale"/> times the screen size) and <c>Name</c>.svg into
    /// <paramref name="directory"/>, each atomically; returns both paths and the PNG's bytes (for a notebook output,
    /// without reading the file back).</summary>
    public async Task<(string Png, string Svg, byte[] PngBytes)> WriteAsync(Figure figure, string directory, double pngScale = 2)
    {
        var png = Path.Combine(directory, figure.Name + ".png");
        var svg = Path.Combine(directory, figure.Name + ".svg");
        var pngBytes = await RenderPngAsync(figure, scale: pngScale);
        Runtime.AtomicFile.WriteAllBytes(png, pngBytes);
        Runtime.AtomicFile.WriteAllText(svg, await RenderSvgAsync(figure));
        return (png, svg, pngBytes);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync(); // closes Chromium; the page goes with it
        _playwright.Dispose();          // stops Playwright's node driver process
        _gate.Dispose();
    }

    // For synchronous `using` in scripts and notebook cells; prefer `await using`.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    // plotly.js's toImage in the page: base64 PNG bytes or SVG text.
    private async Task<string> ToImageAsync(Figure figure, string format, FigureSize size, double scale)
    {
        var json = figure.Json(size);
        await _gate.WaitAsync();
        try
        {
            return await _page.EvaluateAsync<string>(RenderScript, new object[] { json, format, size.Width, figure.HeightAt(size), scale });
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The Chromium to use, or why there is none and how to get one.</summary>
    public static (string? Path, string? Problem) FindChromium()
    {
        var configured = Environment.GetEnvironmentVariable(ChromiumVariable);
        if (!string.IsNullOrWhiteSpace(configured))
            return IsExecutable(configured)
                ? (configured, null)
                : (null, $"{ChromiumVariable} is set to '{configured}', which is not an executable file. {HowToFix}");
        var found = KnownPaths.FirstOrDefault(IsExecutable);
        return found is not null
            ? (found, null)
            : (null, $"No Chromium found (looked in {string.Join(", ", KnownPaths)}), so figures are written as HTML only. {HowToFix}");
    }

    private const string HowToFix =
        "To get PNG/SVG figures, install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`) " +
        $"or set {ChromiumVariable} to the path of a Chrome/Chromium binary.";

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (OperatingSystem.IsWindows() ||
                              (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
