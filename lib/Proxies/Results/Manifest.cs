using System.Text.Json.Nodes;
using System.Text.Json;
using Proxies.Runtime;
using Proxies.Training;

namespace Proxies.Results;

/// <summary>
/// manifest.json: what produced a results folder, so a figure can be traced to its runs: the library version,
/// git commit, machine, and for every sweep that wrote into the folder its profile, shard, workers, start and end
/// time; plus the config of every planned run by id.
/// </summary>
public static class Manifest
{
    /// <summary>Start time, process and a random tag: two sweeps of one process within the same second (a notebook, a
    /// resumed sweep) must not share an id, or ending one would overwrite the other's record.</summary>
    public static string NewSweepId() =>
        $"{DateTime.UtcNow:yyyyMMddTHHmmssZ}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    public static void RecordSweepStart(ResultsStore store, string sweepId, string profile, string shard, int workers,
        IEnumerable<TrainConfig> planned) =>
        Update(store, root =>
        {
            root["experiment"] ??= Path.GetFileName(store.Folder);
            root["library_version"] = typeof(Manifest).Assembly.GetName().Version?.ToString();
            var sweeps = root["sweeps"] as JsonArray ?? new JsonArray();
            root["sweeps"] = sweeps;
            sweeps.Add(new JsonObject
            {
                ["id"] = sweepId,
                ["profile"] = profile,
                ["shard"] = shard,
                ["workers"] = workers,
                ["git_commit"] = Provenance.GitCommit(),
                ["machine"] = Provenance.Machine(),
                ["started_utc"] = DateTime.UtcNow.ToString("O"),
                ["ended_utc"] = null,
                ["outcome"] = "running",
            });
            var configs = root["configs"] as JsonObject ?? new JsonObject();
            root["configs"] = configs;
            foreach (var c in planned)
                configs[c.RunId] = JsonNode.Parse(JsonSerializer.Serialize(c, TrainConfig.JsonOptions));
        });

    public static void RecordSweepEnd(ResultsStore store, string sweepId, string outcome, int runsDone) =>
        Update(store, root =>
        {
            foreach (var sweep in (root["sweeps"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
                if ((string?)sweep["id"] == sweepId)
                {
                    sweep["ended_utc"] = DateTime.UtcNow.ToString("O");
                    sweep["outcome"] = outcome;
                    sweep["runs_done"] = runsDone;
                }
        });

    /// <summary>Runs of this sweep copied from other experiments' folders instead of trained.</summary>
    public static void RecordCopies(ResultsStore store, string sweepId, int runsCopied) =>
        Update(store, root =>
        {
            foreach (var sweep in (root["sweeps"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
                if ((string?)sweep["id"] == sweepId) sweep["runs_copied"] = runsCopied;
        });

    /// <summary>The wall time of every sweep recorded as ended (any outcome), summed, and the most worker processes one
    /// of them used: how long the runs in a folder took to train, for a reader deciding whether to train them again.</summary>
    public static (TimeSpan Total, int Sweeps, int Workers) SweepTime(ResultsStore store)
    {
        var ended = (Read(store.ManifestPath)?["sweeps"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
            .Where(s => s["ended_utc"] is not null && s["started_utc"] is not null).ToList();
        var total = ended.Aggregate(TimeSpan.Zero, (t, s) =>
            t + (DateTime.Parse((string)s["ended_utc"]!, null, System.Globalization.DateTimeStyles.RoundtripKind)
                 - DateTime.Parse((string)s["started_utc"]!, null, System.Globalization.DateTimeStyles.RoundtripKind)));
        return (total, ended.Count, ended.Select(s => (int?)s["workers"] ?? 1).DefaultIfEmpty(1).Max());
    }

    /// <summary>Read-modify-write under the folder's lock, written atomically.</summary>
    public static void Update(ResultsStore store, Action<JsonObject> change)
    {
        using var _ = FileLock.Acquire(store.ManifestPath + ".lock");
        var root = Read(store.ManifestPath) ?? new JsonObject();
        change(root);
        AtomicFile.WriteAllText(store.ManifestPath, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public static JsonObject? Read(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonNode.Parse(File.ReadAllText(path)) as JsonObject; }
        catch (JsonException e) { throw new ResultsFileException(path, $"not valid JSON ({e.Message})"); }
    }
}
