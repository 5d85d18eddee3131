using Proxies.Model;
using Proxies.Experiments;
using Proxies.Results;
using Proxies.Sweeps;
using Proxies.Training;

namespace Proxies.Forecasting;

/// <summary>A forecast from end to end: the planned run's ladder trained where it is missing (runs any experiment under
/// the results root already holds are copied by id, not retrained), read, and forecast.</summary>
public sealed record ForecastStudy(ForecastLadder Ladder, TrainConfig Planned, IReadOnlyList<LadderPoint> Points, ForecastReport Report, string Folder)
{
    public const string ExperimentName = "forecast";

    /// <summary>Where the report's CSV files go: beside the ladder, one folder per planned size.</summary>
    public string ReportFolder => Path.Combine(Folder, "reports", Report.Planned.Label);

    /// <summary>The tolerance a forecast calls an LR safe under, by default: 0.1 nats of final loss above the best LR's.</summary>
    public const double DefaultTolerance = 0.1;

    /// <summary>Why the plan cannot be forecast, or null (<see cref="ForecastLadder.Refusal"/>, and an LR grid of two LRs
    /// at least, since the penalty is against the best of them).</summary>
    public static string? Refusal(ForecastLadder ladder, TrainConfig planned, IReadOnlyList<double> lrs) =>
        ladder.Refusal(planned) ?? (lrs.Distinct().Count() < 2
            ? $"the LR grid has {lrs.Distinct().Count()} LR: a loss penalty is measured against the best of several; give two or more, e.g. --lrs {string.Join(",", ladder.Budget.LearningRates)}"
            : null);

    /// <summary>The planned run notebook 13 asks about, and whose forecast claims.csv records: width 512, depth 8, qk-layernorm
    /// off (25M non-embedding parameters), with the ladder's head dim, so that it scales down at every profile.</summary>
    public static TrainConfig Example(ForecastLadder ladder) =>
        new() { Model = new ModelConfig { Width = 512, Depth = 8, Heads = 512 / ladder.HeadDim, QkLayerNorm = false } };

    /// <summary>The ladder's runs: every fit size, and the held-out sizes unless <paramref name="heldOut"/> is false.</summary>
    public static IReadOnlyList<TrainConfig> Plan(ForecastLadder ladder, TrainConfig planned, IReadOnlyList<double> lrs, bool heldOut) =>
        ladder.Configs(planned, lrs).Where(c => heldOut || ladder.Fit.Contains(ModelSize.Of(c.Model))).ToList();

    public static ForecastStudy Run(TrainConfig planned, IReadOnlyList<double> lrs, Profile profile, string resultsRoot, double tolerance, bool heldOut,
        IRunExecutor executor, IProgress<SweepProgress>? progress = null, CancellationToken cancel = default, int workers = 1)
    {
        var ladder = ForecastLadder.For(profile);
        if (Refusal(ladder, planned, lrs) is { } why) throw new ArgumentException(why);
        var plan = Plan(ladder, planned, lrs, heldOut);
        var summary = Sweep.Run(new Experiment(ExperimentName, "the ladder of a forecast", _ => plan), profile, resultsRoot, executor, workers: workers, progress: progress, cancel: cancel);
        if (summary.Failures.Count > 0) throw new InvalidOperationException($"{summary.Failures.Count} ladder runs failed: {string.Join("; ", summary.Failures)}");
        return Read(planned, lrs, profile, resultsRoot, tolerance, heldOut)
            ?? throw new InvalidOperationException($"the ladder's runs are not all in {Path.Combine(resultsRoot, ExperimentName)} after its sweep");
    }

    /// <summary>The forecast from what <paramref name="resultsRoot"/> already holds, training nothing; null when the plan
    /// is refused or any of its ladder runs is missing.</summary>
    public static ForecastStudy? Read(TrainConfig planned, IReadOnlyList<double> lrs, Profile profile, string resultsRoot,
        double tolerance = DefaultTolerance, bool heldOut = true)
    {
        var ladder = ForecastLadder.For(profile);
        if (Refusal(ladder, planned, lrs) is not null) return null;
        var store = new ResultsStore(resultsRoot, ExperimentName);
        var ids = Plan(ladder, planned, lrs, heldOut).Select(c => c.RunId).ToHashSet();
        var runs = store.Runs().Where(r => ids.Contains(r.RunId)).ToList();
        if (runs.Count < ids.Count) return null;
        var points = LadderTable.Read(store, runs);
        return new ForecastStudy(ladder, planned, points, Forecast.Make(points, ladder, ModelSize.Of(planned.Model), planned.Eps, tolerance), store.Folder);
    }
}
