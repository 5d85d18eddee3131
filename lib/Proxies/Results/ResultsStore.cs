using Proxies.Model;
using Proxies.Probes;
using Proxies.Training;

namespace Proxies.Results;

/// <summary>
/// One experiment's results folder: runs.csv (one row per finished run), curves/&lt;run_id&gt;.csv and manifest.json.
/// A run is finished when its row is in runs.csv; its curve is written first, so a kill between the two only
/// means the run is done again (and its curve rewritten), never a row without a curve.
/// </summary>
public sealed class ResultsStore
{
    public string Folder { get; }
    public string RunsCsv => Path.Combine(Folder, "runs.csv");
    public string CurvesFolder => Path.Combine(Folder, "curves");
    public string ManifestPath => Path.Combine(Folder, "manifest.json");

    public ResultsStore(string root, string experiment) : this(Path.Combine(root, experiment)) { }

    /// <summary>A store directly in <paramref name="folder"/> (the train verb's --out).</summary>
    public ResultsStore(string folder) => Folder = folder;

    public string CurvePath(string runId) => Path.Combine(CurvesFolder, runId + ".csv");

    /// <summary>A run's checkpoint where this store keeps them: beside the curves, one file per run id.</summary>
    public Training.RunCheckpoint Checkpoint(string runId, int every) => new(Path.Combine(Folder, "checkpoints", runId + ".ckpt"), every);

    public List<RunResult> Runs() => File.Exists(RunsCsv) ? RunsTable.Read(RunsCsv) : new List<RunResult>();

    /// <summary>The numerics of the runs recorded here (<see cref="ModelConfig.Numerics"/>). An experiment's analysis pools
    /// runs by variant, size and LR, so a folder must hold one: merge refuses to add another (a sweep checks its plan the
    /// same way).</summary>
    public HashSet<string> Numerics() => Runs().Select(r => r.Config.Model.Numerics).ToHashSet();

    public void Record(RunResult result, Curve curve)
    {
        CurveFile.Write(CurvePath(result.RunId), curve);
        RunsTable.Upsert(RunsCsv, result);
    }
}
