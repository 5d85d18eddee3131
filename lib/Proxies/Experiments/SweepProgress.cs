namespace Proxies.Experiments;

/// <summary>Reported when a run of a sweep finishes (or fails). <paramref name="FlopsDone"/> of <paramref name="FlopsTotal"/>
/// is the share of the sweep's training FLOPs (<see cref="Training.TrainConfig.Flops"/>) finished: the time left is
/// estimated from it, not from the count of runs, since one width-128 run costs as much as twenty width-32 runs.</summary>
public readonly record struct SweepProgress(int Done, int Total, int Skipped, string RunId, string Message, double FlopsDone = 0, double FlopsTotal = 0)
{
    /// <summary>The finished share of the work: FLOPs where they are known, else runs.</summary>
    public double Fraction => FlopsTotal > 0 ? Math.Min(1, FlopsDone / FlopsTotal) : Total == 0 ? 1 : Math.Min(1, (double)Done / Total);
}

/// <summary>What a sweep did.</summary>
public sealed record SweepSummary(string Experiment, int Planned, int Skipped, int Done, IReadOnlyList<string> Failures, string Folder);
