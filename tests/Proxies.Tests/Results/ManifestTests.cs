using Proxies.Results;

namespace Proxies.Tests.Results;

public class ManifestTests
{
    [Fact]
    public void TwoSweepsStartedInTheSameSecondKeepTheirOwnRecords()
    {
        var store = new ResultsStore(Directory.CreateTempSubdirectory().FullName, "lr-sensitivity");
        Directory.CreateDirectory(store.Folder);
        string first = Manifest.NewSweepId(), second = Manifest.NewSweepId();
        Assert.NotEqual(first, second);
        Manifest.RecordSweepStart(store, first, "smoke", "0/1", 1, []);
        Manifest.RecordSweepEnd(store, first, "interrupted", 3);
        Manifest.RecordSweepStart(store, second, "smoke", "0/1", 1, []);
        Manifest.RecordSweepEnd(store, second, "complete", 5);
        var sweeps = Manifest.Read(store.ManifestPath)!["sweeps"]!.AsArray();
        Assert.Equal(new[] { "interrupted", "complete" }, sweeps.Select(s => (string?)s!["outcome"]));
        Assert.Equal(new[] { 3, 5 }, sweeps.Select(s => (int)s!["runs_done"]!));
    }
}
