using Proxies.Probes;
using Proxies.Results;
using Proxies.Runtime;

namespace Proxies.Tests.Results;

public class CsvTests
{
    [Fact]
    public void FieldsWithCommasQuotesAndNewlinesRoundTrip()
    {
        var fields = new[] { "plain", "a,b", "say \"hi\"", "two\nlines", "", "{\"json\":1}" };
        var rows = Csv.Parse(Csv.Line(fields) + "\n" + Csv.Line(fields) + "\n");
        Assert.Equal(2, rows.Count);
        Assert.Equal(fields, rows[1]);
    }

    [Fact]
    public void NonFiniteNumbersRoundTrip()
    {
        foreach (var x in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e-15, -3.25, 0.1 })
            Assert.Equal(x, Csv.ParseDouble(Csv.Format(x)));
    }

    [Fact]
    public void TruncatedQuotedFieldIsRefused() =>
        Assert.Throws<FormatException>(() => Csv.Parse("a,\"unfinished"));

    [Fact]
    public void CurveFileRoundTripsAndRefusesTornRows()
    {
        var curve = new Curve();
        curve.Add(new Dictionary<string, double> { ["step"] = 0, ["loss"] = 5.5 });
        curve.Add(new Dictionary<string, double> { ["step"] = 1 });   // a value a row did not take is NaN
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".csv");
        CurveFile.Write(path, curve);
        var back = CurveFile.Read(path);
        Assert.Equal(new[] { 5.5, double.NaN }, back.Values("loss"));
        File.AppendAllText(path, "2\n");
        var error = Assert.Throws<ResultsFileException>(() => CurveFile.Read(path));
        Assert.Contains("line 4", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void AtomicWriteLeavesNoTemporaryFiles()
    {
        var folder = Directory.CreateTempSubdirectory().FullName;
        var path = Path.Combine(folder, "x.csv");
        AtomicFile.WriteAllText(path, "old\n");
        AtomicFile.WriteAllText(path, "new\n");
        Assert.Equal("new\n", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(folder));
    }
}
