namespace Proxies.Sweeps;

/// <summary>Reported when a run of a sweep finishes (or fails). <paramref name="CostDone"/> of <paramref name="CostTotal"/>
/// is the share of the sweep's cost (<see cref="Training.TrainConfig.Cost"/>) finished, and <paramref name="CostInFlight"/>
/// the cost of the runs the other workers are training at that moment (the reporting worker's next run has just
/// started): the time left is estimated from these, not from the count of runs, since one width-128 run costs as much
/// as twenty width-32 runs.</summary>
public readonly record struct SweepProgress(int Done, int Total, int Skipped, string RunId, string Message, double CostDone = 0,
    double CostTotal = 0, double CostInFlight = 0)
{
    /// <summary>The share of the work done: by cost where it is known (the other workers' runs counted half done,
    /// their expected progress: without them the estimate ran 20–27% high on the README's quick sweep, where a
    /// width-128 run in flight is a twentieth of the work), else by runs.</summary>
    public double Fraction => CostTotal > 0 ? Math.Min(1, (CostDone + CostInFlight / 2) / CostTotal) : Total == 0 ? 1 : Math.Min(1, (double)Done / Total);
}

/// <summary>What a sweep did.</summary>
public sealed record SweepSummary(string Experiment, int Planned, int Skipped, int Done, IReadOnlyList<string> Failures, string Folder);
