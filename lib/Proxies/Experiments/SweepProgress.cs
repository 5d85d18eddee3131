namespace Proxies.Experiments;

/// <summary>Reported when a run of a sweep finishes (or fails). <paramref name="CostDone"/> of <paramref name="CostTotal"/>
/// is the share of the sweep's cost (<see cref="Training.TrainConfig.Cost"/>) finished: the time left is estimated from
/// it, not from the count of runs, since one width-128 run costs as much as twenty width-32 runs.</summary>
public readonly record struct SweepProgress(int Done, int Total, int Skipped, string RunId, string Message, double CostDone = 0, double CostTotal = 0)
{
    /// <summary>The finished share of the work: by cost where it is known, else by runs.</summary>
    public double Fraction => CostTotal > 0 ? Math.Min(1, CostDone / CostTotal) : Total == 0 ? 1 : Math.Min(1, (double)Done / Total);
}

/// <summary>What a sweep did.</summary>
public sealed record SweepSummary(string Experiment, int Planned, int Skipped, int Done, IReadOnlyList<string> Failures, string Folder);
