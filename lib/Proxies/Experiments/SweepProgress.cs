namespace Proxies.Experiments;

/// <summary>Reported when a run of a sweep finishes (or fails).</summary>
public readonly record struct SweepProgress(int Done, int Total, int Skipped, string RunId, string Message);

/// <summary>What a sweep did.</summary>
public sealed record SweepSummary(string Experiment, int Planned, int Skipped, int Done, IReadOnlyList<string> Failures, string Folder);
