using System.Diagnostics;
using Proxies.Notebooks;
using Proxies.Tests.Reliability;

namespace Proxies.Tests.Notebooks;

/// <summary>The gallery's comparison rules (what counts as the same page), its link rewriting, and the committed gallery
/// against a fresh rendering from the committed results.</summary>
public class GalleryTests
{
    [Theory]
    [InlineData("0.193", "0.194", true)]      // one unit in the last printed digit: a rounding flip
    [InlineData("0.193", "0.195", false)]
    [InlineData("-0.012", "-0.011", true)]
    [InlineData("5,665,781", "5,665,782", true)]
    [InlineData("5,665,781", "5,665,783", false)]
    [InlineData("1.00E-4", "1.01E-4", true)]  // the unit is 1e-6 here
    [InlineData("1.00E-4", "1.02E-4", false)]
    [InlineData("2.1", "2.15", true)]         // the less precise number's unit (0.1) decides
    [InlineData("3", "5", false)]
    public void NumbersAgreeToOneUnitInTheirLastPrintedDigit(string a, string b, bool same) =>
        Assert.Equal(same, GalleryCheck.SameNumber(a, b));

    [Fact]
    public void TimesAreNotComparedButEveryOtherWordAndNumberIs()
    {
        Assert.Null(GalleryCheck.CompareText("0 runs trained now, 252 already in results (0 s)\nok in 26.5 s", "0 runs trained now, 252 already in results (3 s)\nok in 31.0 s"));
        Assert.Null(GalleryCheck.CompareText("trained for 40 min in all", "trained for 41 min in all"));
        Assert.Contains("line 1", GalleryCheck.CompareText("value 0.093 reproduces", "value 0.093 inside the noise"));
        Assert.Contains("line 2", GalleryCheck.CompareText("a\nvalue 0.093", "a\nvalue 0.097"));
        Assert.Contains("end of page", GalleryCheck.CompareText("a\nb", "a"));
        Assert.NotNull(GalleryCheck.CompareText("263 runs", "273 runs"));
    }

    [Fact]
    public void FiguresAreComparedByTheirData()
    {
        const string figure = """{"data":[{"name":"d64","x":[0.001,0.01],"y":[2.5,2.1]}],"layout":{"title":{"text":"t"}}}""";
        Assert.Null(GalleryCheck.CompareFigure(figure, figure.Replace("2.1]", "2.1000000000001]")));
        Assert.Null(GalleryCheck.CompareFigure(figure, figure.Replace("2.1]", "2.100004]")));    // float32 rounding of a live figure
        Assert.Contains("$.data[0].y[1]", GalleryCheck.CompareFigure(figure, figure.Replace("2.1]", "2.1001]")));
        Assert.Contains("$.data[0].y[1]", GalleryCheck.CompareFigure(figure, figure.Replace("2.1]", "2.2]")));
        Assert.Contains("$.data[0].y", GalleryCheck.CompareFigure(figure, figure.Replace("[2.5,2.1]", "[2.5]")));
        Assert.Contains("$.data[0].name", GalleryCheck.CompareFigure(figure, figure.Replace("d64", "d128")));
    }

    [Theory]
    [InlineData("see [the page](../docs/science/claims.md#noise)", "see [the page](../science/claims.md#noise)")]
    [InlineData("[runs](../results/quick/claims.csv)", "[runs](../../results/quick/claims.csv)")]
    [InlineData("[below](#claims-against-the-noise)", "[below](#claims-against-the-noise)")]
    [InlineData("[paper](https://arxiv.org/abs/2309.14322)", "[paper](https://arxiv.org/abs/2309.14322)")]
    [InlineData("[next](04-warmup.ipynb)", "[next](../../notebooks/04-warmup.ipynb)")]
    public void ProseLinksPointFromTheGalleryToTheSameFiles(string prose, string page) =>
        Assert.Equal(page, GalleryPage.Relink(prose, "notebooks", "docs/gallery"));

    /// <summary>The committed pages say what the notebooks print from the committed results: every notebook (but the
    /// machine's 00) runs at the quick profile in the real kernel, and its page and figures' data are compared.</summary>
    [SkippableFact]
    public async Task TheCommittedGalleryAgreesWithTheCommittedResults()
    {
        Optional.Need(Optional.Chromium());   // the pages' figures are PNGs
        var info = new ProcessStartInfo(CliProcess.AppHost, ["gallery", "--check"])
        {
            WorkingDirectory = Repository.Root(), RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        try { await p.WaitForExitAsync(limit.Token); }
        catch (OperationCanceledException) { p.Kill(true); throw new TimeoutException("gallery --check ran over 20 minutes"); }
        Assert.True(p.ExitCode == 0, await stdout + await stderr);
        Assert.Contains("agree with the committed results", await stdout);
    }
}
