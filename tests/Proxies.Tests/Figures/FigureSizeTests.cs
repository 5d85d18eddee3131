using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Proxies.Figures;

namespace Proxies.Tests.Figures;

/// <summary>Figures for write-ups: the sizes a figure is drawn at, and its PDF export as a vector page of that size.</summary>
public class FigureSizeTests
{
    static Figure TwoPanels() => Figure.SideBySide("check", "two panels",
        new Panel("x", "y", [new Series("a", [1, 2, 3], [3, 1, 2], Palette.ColourFor(0))], Title: "left"),
        new Panel("x", "y", [new Series("a", [1, 2, 3], [10, 100, 1000], Palette.ColourFor(0), LineDash.Dash, Markers: true)], LogY: true, Title: "right"));

    [Fact]
    public void ANarrowSizeDrawsSmallerTextAndPutsTheLegendUnderThePlot()
    {
        var screen = JsonNode.Parse(TwoPanels().Json())!["layout"]!;
        var column = JsonNode.Parse(TwoPanels().Json(FigureSize.Column))!["layout"]!;
        Assert.Equal(900, (int)screen["width"]!);
        Assert.Equal(12, (int)screen["font"]!["size"]!);
        Assert.Null(screen["legend"]!["orientation"]);
        Assert.Equal(317, (int)column["width"]!);
        Assert.Equal(10, (int)column["font"]!["size"]!);
        Assert.Equal("h", (string?)column["legend"]!["orientation"]);
        // The title goes to the caption at a paper's size; the legend's one entry ("a") adds a row of 2 × 10 px.
        Assert.NotNull(screen["title"]);
        Assert.Null(column["title"]);
        Assert.Equal(260, (int)column["height"]!);
        // 3.3 in at 96 CSS px per inch is 317 px, and 238 pt on the PDF page.
        Assert.Equal(237.75, FigureSize.ToPoints(FigureSize.Column.Width));
    }

    [Theory]
    [InlineData("pdf:column", "pdf", "column")]
    [InlineData(" SVG : page ", "svg", "page")]
    [InlineData("png", "png", "screen")]
    public void AnExportIsAFormatAndASize(string spec, string format, string size)
    {
        var (f, s) = FigureOutput.ParseExport(spec);
        Assert.Equal((format, size), (f, s.Name));
    }

    [Theory]
    [InlineData("eps:column", "png, svg or pdf")]
    [InlineData("pdf:poster", "screen, column, page")]
    public void AnUnknownFormatOrSizeIsRefusedNamingTheChoices(string spec, string choices) =>
        Assert.Contains(choices, Assert.Throws<ArgumentException>(() => FigureOutput.ParseExport(spec)).Message);

    /// <summary>The PDF is one page of exactly the column's size, its lines and text vectors (fonts, no raster image).</summary>
    [SkippableFact]
    public async Task APdfIsOneVectorPageOfTheFiguresSize()
    {
        Optional.Need(Optional.Chromium());
        var (exporter, problem) = await ImageExporter.TryCreateAsync();
        Assert.True(exporter is not null, problem);
        await using var _ = exporter;
        var pdf = await exporter.RenderPdfAsync(TwoPanels(), FigureSize.Column);
        var text = Encoding.Latin1.GetString(pdf);
        Assert.StartsWith("%PDF-", text);
        var boxes = Regex.Matches(text, @"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]");
        var box = Assert.Single(boxes.Select(m => (W: double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            H: double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))).Distinct());
        Assert.InRange(box.W, 237, 239);      // 317 px = 237.75 pt
        Assert.InRange(box.H, 194, 196);      // 240 px + one legend row of 20 px = 195 pt
        Assert.Contains("/Font", text);
        Assert.DoesNotContain("/Subtype /Image", text);
    }
}
