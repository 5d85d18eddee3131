using System.Text.Json.Nodes;
using Proxies.Figures;
using Proxies.Notebooks;
using Proxies.Tests.Reliability;

namespace Proxies.Tests.Notebooks;

/// <summary>
/// Executes every notebook of the workbook at the smoke profile, as CI does: the same files a user opens, fresh
/// results (real training), executed notebooks and figures under runs/ci/notebooks for CI to show.
/// </summary>
public class WorkbookNotebooksTests
{
    /// <summary>
    /// Every notebook in the real .NET Interactive kernel (a fresh kernel each, as VS Code's "Run All"): no error output,
    /// and every figure in the notebook as an interactive chart (plotly.js inlined with the first, no CDN). Where Chromium
    /// is installed (always in CI) every figure is also a real PNG and SVG, and in the notebook as a PNG.
    /// </summary>
    [Fact]
    public void EveryNotebookRunsCleanInTheRealKernelAtTheSmokeProfile()
    {
        var root = Repository.Root();
        var outDir = Path.Combine(root, "runs", "ci", "notebooks");
        if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
        var results = Directory.CreateTempSubdirectory("proxies-nb-results-").FullName;
        var notebooks = Directory.GetFiles(Path.Combine(root, "notebooks"), "*.ipynb").Order().ToArray();
        Assert.True(notebooks.Length >= 3, "the workbook has notebooks 00, 01 and 02 at least");

        // Seven notebooks, each in its own kernel, training its smoke sweep: about 5 minutes on 2 cores.
        // Every figure is also exported as a PDF at a paper's column width, as a user asks for with --export.
        var (code, stdout, stderr) = CliProcess.Run(TimeSpan.FromMinutes(20),
            ["notebooks", .. notebooks, "--profile", "smoke", "--out", outDir, "--results", results, "--export", "pdf:column"]);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains($"notebooks: {notebooks.Length} passed, 0 failed", stdout);

        bool images = Optional.Chromium() is null || Optional.RequireAll;
        foreach (var notebook in notebooks)
        {
            var executed = Path.Combine(outDir, Path.GetFileName(notebook));
            NbformatValidator.AssertValid(executed);
            var outputs = JsonNode.Parse(File.ReadAllText(executed))!["cells"]!.AsArray().OfType<JsonObject>()
                .Where(c => (string?)c["cell_type"] == "code")
                .SelectMany(c => c["outputs"]!.AsArray().OfType<JsonObject>()).ToList();
            Assert.DoesNotContain(outputs, o => (string?)o["output_type"] == "error");
            var charts = outputs.Where(o => Html(o).Contains("Plotly.newPlot")).ToList();
            var figures = Path.Combine(outDir, "figures", Path.GetFileNameWithoutExtension(notebook));
            var htmlFiles = Directory.GetFiles(figures, "*.html");
            Assert.NotEmpty(htmlFiles);
            Assert.Equal(htmlFiles.Length, charts.Count);
            Assert.Contains("(function(define, exports, module)", Html(charts[0]));   // plotly.js inlined, once
            Assert.DoesNotMatch("<script[^>]*src=", string.Concat(charts.Select(Html)));
            Assert.Equal(htmlFiles.Length, Directory.GetFiles(figures, "*.json").Length);   // each figure's data, to re-plot
            if (!images) continue;
            var pngs = Directory.GetFiles(figures, "*.png");
            Assert.Equal(htmlFiles.Length, pngs.Length);
            foreach (var png in pngs)
            {
                // A real image of a chart: full size, drawn lines and text, many colours (anti-aliasing), not blank.
                var image = PngInspector.Inspect(png);
                Assert.True(image.Width >= 1000 && image.Height >= 500, $"{png}: {image.Width}×{image.Height}");
                Assert.InRange(image.InkFraction, 0.01, 0.6);
                Assert.True(image.DistinctColours > 50, $"{png}: {image.DistinctColours} colours");
                Assert.Contains("<svg", File.ReadAllText(Path.ChangeExtension(png, ".svg")));
            }
            // Each figure is in the notebook as a PNG too, for viewers that run no scripts (GitHub, nbviewer).
            Assert.Equal(pngs.Length, charts.Count(o => o["data"]?["image/png"] is not null));
            foreach (var png in pngs)
                Assert.StartsWith("%PDF-", File.ReadAllText(Path.Combine(figures, Path.GetFileNameWithoutExtension(png) + "-column.pdf"))[..8]);
            // Its gallery page shows every figure as its PNG, beside its data.
            var name = Path.GetFileNameWithoutExtension(notebook);
            var (page, shown) = GalleryPage.Render(executed, figures, "notebooks", "docs/gallery", name, []);
            Assert.Equal(pngs.Length, shown.Count);
            foreach (var f in shown)
            {
                Assert.Contains($"]({name}/{f.Name}.png)", page);
                Assert.True(File.Exists(f.Png) && File.Exists(f.Json), f.Name);
            }
        }
    }

    static string Html(JsonObject output) => output["data"]?["text/html"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonNode n => (string?)n ?? "",
        null => "",
    };

    [SkippableFact]
    public async Task FiguresRenderToRealPngAndSvgWithChromium()
    {
        Optional.Need(Optional.Chromium());
        var figure = Figure.SideBySide("check", "two panels", new Panel("x", "y", [new Series("a", [1, 2, 3], [3, 1, 2], Palette.ColourFor(0))], Title: "left"),
            new Panel("x", "y", [new Series("a", [1, 2, 3], [10, 100, 1000], Palette.ColourFor(0), LineDash.Dash, Markers: true)], LogY: true, Title: "right"));
        var (exporter, problem) = await ImageExporter.TryCreateAsync();
        Assert.True(exporter is not null, problem);
        await using var _ = exporter;
        var folder = Directory.CreateTempSubdirectory().FullName;
        var (png, svg, _) = await exporter.WriteAsync(figure, folder);
        var image = PngInspector.Inspect(png);
        Assert.True(image.Width >= 1000 && image.Height >= 500, $"{image.Width}×{image.Height}");
        Assert.InRange(image.InkFraction, 0.01, 0.6);
        Assert.True(image.DistinctColours > 50, $"{image.DistinctColours} colours");
        var svgText = File.ReadAllText(svg);
        Assert.Contains("two panels", svgText);
        Assert.Contains("left", svgText);
    }

    [Fact]
    public void OfflineHtmlLoadsNoScriptFromTheNetwork()
    {
        var figure = Figure.Line("check", "check", new Panel("x", "y", new[] { new Series("s", new double[] { 1, 2 }, new double[] { 3, 4 }, Palette.ColourFor(0)) }));
        var html = FigureHtml.Document(figure);
        Assert.DoesNotMatch("<script[^>]*src=", html);
        Assert.Contains("Plotly.newPlot", html);
        Assert.True(html.Length > 3_000_000, "plotly.js is embedded");
    }
}

public class NoBrowserTests
{
    [Fact]
    public async Task WithoutABrowserFiguresStayHtmlAndTheMessageSaysHowToGetPngs()
    {
        var saved = Environment.GetEnvironmentVariable(ImageExporter.ChromiumVariable);
        Environment.SetEnvironmentVariable(ImageExporter.ChromiumVariable, "/nonexistent/chromium");
        try
        {
            var (exporter, problem) = await ImageExporter.TryCreateAsync();
            Assert.Null(exporter);
            Assert.Contains("apt-get install chromium", problem);
            Assert.Contains("/nonexistent/chromium", problem);
        }
        finally { Environment.SetEnvironmentVariable(ImageExporter.ChromiumVariable, saved); }
    }
}
