using Deedle;

namespace Proxies.Results;

/// <summary>Results as Deedle frames, in one call, for analysis in notebooks.</summary>
public static class ResultsFrame
{
    /// <summary>runs.csv of an experiment folder (or a runs.csv path) as a frame: one row per run.</summary>
    public static Frame<int, string> Runs(string folderOrCsv) =>
        // Run ids are hex: one made only of digits must not turn the column into numbers.
        Frame.ReadCsv(Directory.Exists(folderOrCsv) ? Path.Combine(folderOrCsv, "runs.csv") : folderOrCsv,
            schema: "run_id (string),experiment (string),variant (string)");

    /// <summary>One run's per-step probes as a frame: one row per probed step.</summary>
    public static Frame<int, string> Curve(string experimentFolder, string runId) =>
        Frame.ReadCsv(Path.Combine(experimentFolder, "curves", runId + ".csv"));
}
