using Proxies.Model;
using Proxies.Results;
using Proxies.Training;

namespace Proxies.Cli;

/// <summary>`merge OUT SHARD...`: combines shard folders (each holding &lt;experiment&gt;/runs.csv and curves) into OUT.
/// Rows are keyed by run id, so merging twice, or overlapping shards, never duplicates a run.</summary>
public static class MergeVerb
{
    public static int Run(string[] args)
    {
        var cl = new CommandLine(args, new HashSet<string>());
        cl.RejectUnknown("merge");
        if (cl.Positional.Count < 2) throw new UsageException("merge needs an output folder and at least one shard folder: merge OUT SHARD...");
        var (outRoot, shards) = (cl.Positional[0], cl.Positional.Skip(1).ToList());
        foreach (var s in shards) if (!Directory.Exists(s)) throw new UsageException($"merge: shard folder {s} does not exist");
        RefuseMixedNumerics(outRoot, shards);
        int merged = 0;
        foreach (var shard in shards)
            foreach (var folder in Directory.GetDirectories(shard).Where(d => File.Exists(Path.Combine(d, "runs.csv"))))
            {
                var experiment = Path.GetFileName(folder);
                var from = new ResultsStore(shard, experiment);
                var to = new ResultsStore(outRoot, experiment);
                foreach (var run in from.Runs())
                {
                    var curve = from.CurvePath(run.RunId);
                    if (File.Exists(curve)) to.Record(run, CurveFile.Read(curve));
                    else RunsTable.Upsert(to.RunsCsv, run);
                    merged++;
                }
                var manifest = Manifest.Read(from.ManifestPath);
                if (manifest is not null)
                    Manifest.Update(to, root =>
                    {
                        root["experiment"] = experiment;
                        var merges = root["merged_from"] as System.Text.Json.Nodes.JsonArray ?? new System.Text.Json.Nodes.JsonArray();
                        root["merged_from"] = merges;
                        merges.Add(manifest.DeepClone());
                    });
            }
        Console.WriteLine($"merged {merged} run rows from {shards.Count} folder(s) into {outRoot}");
        return 0;
    }

    /// <summary>Before anything is written: one kind of numerics (matmul precision, fused kernels) per experiment across
    /// the shards and the output (<see cref="ResultsStore.Numerics"/>).</summary>
    static void RefuseMixedNumerics(string outRoot, List<string> shards)
    {
        var errors = new List<ConfigError>();
        var experiments = shards.SelectMany(s => Directory.GetDirectories(s).Where(d => File.Exists(Path.Combine(d, "runs.csv"))))
            .Select(Path.GetFileName).Distinct();
        foreach (var experiment in experiments)
        {
            var holders = shards.Append(outRoot)
                .SelectMany(root => new ResultsStore(root, experiment!).Numerics().Select(n => (Root: root, Numerics: n)))
                .ToList();
            if (holders.Select(h => h.Numerics).Distinct().Count() > 1)
                errors.Add(new ConfigError("merge", experiment!,
                    string.Join("; ", holders.Select(h => $"{h.Root} holds {h.Numerics} runs")) +
                    ": the analysis would pool runs of different numerics; merge each kind into its own output folder"));
        }
        if (errors.Count > 0) throw new InvalidConfigException(errors);
    }
}
