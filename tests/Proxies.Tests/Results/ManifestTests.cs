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

    [Fact]
    public void SweepTimeSumsTheEndedSweepsAndSkipsOneStillRunning()
    {
        var store = new ResultsStore(Directory.CreateTempSubdirectory().FullName, "warmup");
        Directory.CreateDirectory(store.Folder);
        File.WriteAllText(store.ManifestPath, """
            { "sweeps": [
              { "workers": 2, "started_utc": "2026-12-01T10:00:00.0000000Z", "ended_utc": "2026-12-01T10:00:14.0000000Z", "outcome": "interrupted" },
              { "workers": 2, "started_utc": "2026-12-01T10:01:00.0000000Z", "ended_utc": "2026-12-01T10:31:46.0000000Z", "outcome": "complete" },
              { "workers": 4, "started_utc": "2026-12-01T11:00:00.0000000Z", "ended_utc": null, "outcome": "running" } ] }
            """);
        var (total, sweeps, workers) = Manifest.SweepTime(store);
        Assert.Equal(TimeSpan.FromSeconds(14 + 30 * 60 + 46), total); // 14 s + 30 min 46 s, by hand
        Assert.Equal(2, sweeps);
        Assert.Equal(2, workers);
    }
}
