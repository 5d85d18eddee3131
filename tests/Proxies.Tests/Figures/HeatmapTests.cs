using System.Text.Json.Nodes;
using Proxies.Figures;

namespace Proxies.Tests.Figures;

public class HeatmapTests
{
    [Fact]
    public void AHeatmapPanelBecomesAPlotlyHeatmapOnItsOwnAxesWithOneColourBar()
    {
        var left = new Heatmap("a", [0, 1, 2], ["low", "high"], [[0.1, 0.2, 0.3], [0.9, 0.8, double.NaN]], "share");
        var right = new Heatmap("b", [0, 1, 2], ["low", "high"], [[1, 1, 1], [0, 0, 0]], "share");
        var figure = Figure.SideBySide("maps", "two maps", new Panel("step", "bin", [], Map: left), new Panel("step", "bin", [], Map: right));
        var json = JsonNode.Parse(figure.Json())!;
        var traces = json["data"]!.AsArray();
        Assert.Equal("category", (string?)json["layout"]!["yaxis2"]!["type"]);
        Assert.Equal(2, traces.Count);
        Assert.All(traces, t => Assert.Equal("heatmap", (string?)t!["type"]));
        Assert.Equal("x2", (string?)traces[1]!["xaxis"]);
        Assert.Equal(new bool?[] { false, true }, traces.Select(t => (bool?)t!["showscale"]));
        var z = traces[0]!["z"]!.AsArray();
        Assert.Equal(0.8, (double)z[1]![1]!);
        Assert.Null(z[1]![2]);                                    // NaN is a gap
        Assert.Equal("high", (string?)traces[0]!["y"]![1]);
    }

    [Fact]
    public void ARaggedGridIsRefusedWhereItIsBuilt() =>
        Assert.Throws<ArgumentException>(() => new Heatmap("a", [0, 1], ["r"], [[1.0]], "share"));

    [Fact]
    public void MarkersOnlySeriesDrawNoLine()
    {
        var figure = Figure.Line("m", "m", new Panel("x", "y", [new Series("s", [1], [2], Palette.ColourFor(0), MarkersOnly: true)]));
        Assert.Equal("markers", (string?)JsonNode.Parse(figure.Json())!["data"]![0]!["mode"]);
    }

    [Fact]
    public void ABandIsOneClosedShapeUnderItsLineAlongTheHighValuesAndBackAlongTheLow()
    {
        var series = new Series("mean", [1, 2, 3], [2, 3, 4], "#0072B2") { Band = ([1, 2, 3], [3, 5, 6]) };
        var traces = JsonNode.Parse(Figure.Line("b", "b", new Panel("x", "y", [series])).Json())!["data"]!.AsArray();
        Assert.Equal(2, traces.Count);
        Assert.Equal("toself", (string?)traces[0]!["fill"]);
        Assert.Equal(new double[] { 1, 2, 3, 3, 2, 1 }, traces[0]!["x"]!.AsArray().Select(v => (double)v!));
        Assert.Equal(new double[] { 3, 5, 6, 3, 2, 1 }, traces[0]!["y"]!.AsArray().Select(v => (double)v!));
        Assert.False((bool?)traces[0]!["showlegend"]);
        Assert.Equal("mean", (string?)traces[1]!["name"]);
        Assert.Throws<ArgumentException>(() => new Series("bad", [1, 2], [1, 2], "#000000") { Band = ([1], [2]) });
    }
}
