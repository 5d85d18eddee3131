using Proxies.Forecasting;
using Proxies.Experiments;
using Proxies.Results;
using Proxies.Sweeps;
using Proxies.Training;

namespace Proxies.Tests.Results;

/// <summary>The reference results committed under results/quick stay valid for the code that reads them: their run ids
/// are still the ones the quick sweeps plan (or a sweep would train them again), and a run still trains to what it recorded.</summary>
public class CommittedResultsTests : TorchTest
{
    static IEnumerable<string> RunsFiles() =>
        Directory.GetFiles(Path.Combine(Repository.Root(), "results", "quick"), "runs.csv", SearchOption.AllDirectories);

    /// <summary>Results folders of grids declared in a notebook cell rather than the catalogue (their cell plans them).</summary>
    static readonly string[] DeclaredInNotebooks = ["03-own-grid"];

    /// <summary>A committed run the plan no longer names would sit in the analysis beside the runs that replaced it. A
    /// planned run not yet committed is allowed: a sweep grown by seeds lands across sessions (the claims table counts
    /// the seeds it had), and a notebook run at quick trains what is missing.</summary>
    [Fact]
    public void TheQuickSweepsRecogniseEveryCommittedRun()
    {
        var files = RunsFiles().ToList();
        Assert.True(files.Count >= 3, "the quick results of attention-logit-growth, lr-sensitivity and output-logit-divergence are committed");
        foreach (var file in files)
        {
            var name = Path.GetFileName(Path.GetDirectoryName(file))!;
            if (DeclaredInNotebooks.Contains(name)) continue;   // a grid a notebook cell declares (Grid.Of): its cell plans it
            var planned = (name == ForecastStudy.ExperimentName ? CommittedForecasts() : Sweep.Plan(Catalog.Find(name), Profile.Quick, Shard.All))
                .Select(c => c.RunId).ToHashSet();
            var orphans = RunsTable.Read(file).Where(r => !planned.Contains(r.RunId)).Select(r => $"{r.RunId} ({r.Config.Variant}, seed {r.Config.Seed})").ToList();
            Assert.True(orphans.Count == 0, $"{name}: committed runs the quick plan does not name: {string.Join(", ", orphans)}");
        }
    }

    /// <summary>The forecast ladders committed at quick: the ladder of each planned run the workbook forecasts (notebook 13's).</summary>
    static IEnumerable<TrainConfig> CommittedForecasts()
    {
        var ladder = ForecastLadder.For(Profile.Quick);
        return ForecastStudy.Plan(ladder, ForecastStudy.Example(ladder), ladder.Budget.LearningRates, heldOut: true);
    }

    [Fact]
    public void EveryCommittedRunsStoredConfigHashesToItsRunId()
    {
        var runs = RunsFiles().SelectMany(RunsTable.Read).ToList();
        Assert.NotEmpty(runs);
        Assert.All(runs, r => Assert.Equal(r.RunId, r.Config.RunId));
    }

    [Fact]
    public void EveryCommittedSweepRecordsHowItEnded()
    {
        var manifests = Directory.GetFiles(Path.Combine(Repository.Root(), "results", "quick"), "manifest.json", SearchOption.AllDirectories);
        Assert.NotEmpty(manifests);
        foreach (var path in manifests)
            Assert.All(Manifest.Read(path)!["sweeps"]!.AsArray(), s => Assert.NotEqual("running", (string?)s!["outcome"]));
    }

    [Fact]
    public void TheSmallestCommittedRunRetrainsToItsRecordedLosses()
    {
        var run = RunsFiles().SelectMany(RunsTable.Read).Where(r => !r.Diverged)
            .MinBy(r => (double)r.Params * r.Config.Steps)!;
        var (again, _) = Trainer.Run(run.Config);
        // The initial loss depends only on the initialisation and the held-out batches: any change to how a run draws
        // its random numbers moves it by far more than 1e-4 (0.39 nats for the global-stream slip that once happened).
        Assert.Equal(run.InitialLoss, again.InitialLoss, 1e-4);
        Assert.Equal(run.FinalEvalLoss, again.FinalEvalLoss, 1e-3);
    }
}
