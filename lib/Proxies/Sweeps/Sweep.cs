using Proxies.Experiments;
using Proxies.Model;
using Proxies.Results;
using Proxies.Runtime;
using Proxies.Training;

namespace Proxies.Sweeps;

/// <summary>
/// Runs a named experiment's grid into a results folder, resuming: runs already in runs.csv are skipped (a run's id
/// is a hash of its config, so the same run is never done twice). A run that another experiment under the same
/// results root already recorded is copied, not retrained (its row relabelled with this experiment and variant, its
/// measured wall time kept). Every config is checked before any work.
/// </summary>
public static class Sweep
{
    public static SweepSummary Run(Experiment experiment, Profile profile, string resultsRoot, IRunExecutor executor,
        Shard? shard = null, int workers = 1, IProgress<SweepProgress>? progress = null, CancellationToken cancel = default)
    {
        var slice = Plan(experiment, profile, shard ?? Shard.All);
        foreach (var config in slice) if (ConfigValidation.Fits(config) is { } tooBig) throw new InvalidConfigException([tooBig]);
        var store = new ResultsStore(resultsRoot, experiment.Name);
        OutputFolder.EnsureWritable(store.Folder);
        var recorded = store.Runs();   // read once: both the numerics check and the resume need it
        RefuseMixedNumerics(store.Folder, recorded, slice);
        var finishedBefore = recorded.Select(r => r.RunId).ToHashSet();
        var pending = slice.Where(c => !finishedBefore.Contains(c.RunId)).ToList();
        int skipped = slice.Count - pending.Count, done = 0;
        if (pending.Count == 0)
        {
            progress?.Report(new SweepProgress(0, 0, skipped, "", $"{skipped} of {slice.Count} runs already done"));
            return new SweepSummary(experiment.Name, slice.Count, skipped, 0, Array.Empty<string>(), store.Folder);
        }
        var sweepId = Manifest.NewSweepId();
        Manifest.RecordSweepStart(store, sweepId, profile.Name(), (shard ?? Shard.All).ToString(), workers, slice);
        var copied = CopyRecordedElsewhere(resultsRoot, store, pending);
        if (copied.Count > 0) Manifest.RecordCopies(store, sweepId, copied.Count);
        // Longest first: the workers then finish together instead of one training the largest model alone at the end.
        pending = pending.Where(c => !copied.Contains(c.RunId)).OrderByDescending(c => c.Cost).ToList();
        var costOf = pending.ToDictionary(c => c.RunId, c => c.Cost);
        double costTotal = costOf.Values.Sum(), costDone = 0;
        object sync = new();
        var finished = new HashSet<string>();
        int notTrained = skipped + copied.Count;
        progress?.Report(new SweepProgress(0, pending.Count, notTrained, "", $"{skipped} of {slice.Count} runs already done"
            + (copied.Count > 0 ? $", {copied.Count} copied from other experiments under {resultsRoot}" : "")));
        try
        {
            var failures = executor.Execute(pending, resultsRoot, (id, message) =>
            {
                lock (sync)
                {
                    costDone += costOf.GetValueOrDefault(id);
                    done++;
                    finished.Add(id);
                    // The executors hand runs out in order, one per free worker: the first unfinished runs are in flight.
                    // The one this worker takes next has just started; the other workers' are somewhere along theirs.
                    double inFlight = pending.Where(c => !finished.Contains(c.RunId)).Take(workers - 1).Sum(c => c.Cost);
                    progress?.Report(new SweepProgress(done, pending.Count, notTrained, id, message, costDone, costTotal, inFlight));
                }
            }, cancel);
            Manifest.RecordSweepEnd(store, sweepId, failures.Count == 0 ? "complete" : "failures", done - failures.Count);
            return new SweepSummary(experiment.Name, slice.Count, notTrained, done - failures.Count, failures, store.Folder);
        }
        catch (OperationCanceledException)
        {
            Manifest.RecordSweepEnd(store, sweepId, "interrupted", done);
            throw;
        }
    }

    /// <summary>Refuses a plan whose numerics (<see cref="ModelConfig.Numerics"/>: the matmul precision) differ
    /// from the runs already in the folder: an experiment's analysis pools runs by variant, size and LR. Two sweeps of
    /// different numerics started at the same moment on an empty folder both pass: the check reads the folder, it does
    /// not lock it.</summary>
    static void RefuseMixedNumerics(string folder, IEnumerable<RunResult> recorded, IReadOnlyList<TrainConfig> plan)
    {
        if (plan.Count == 0) return;   // an empty shard adds nothing
        var planned = plan.Select(c => c.Model.Numerics).ToHashSet();
        var others = recorded.Select(r => r.Config.Model.Numerics).Distinct().Except(planned).ToList();
        if (others.Count > 0)
            throw new InvalidConfigException(new[] { new ConfigError("--matmul", string.Join(",", planned),
                $"{folder} already holds {string.Join(",", others)} runs of this experiment, and the analysis would pool the two; write to another --out") });
    }

    /// <summary>Copies into <paramref name="store"/> every pending run that a sibling experiment folder already holds
    /// (same run id: the same config, seed and data), curve first, as <see cref="ResultsStore.Record"/> does.</summary>
    static HashSet<string> CopyRecordedElsewhere(string resultsRoot, ResultsStore store, IReadOnlyList<TrainConfig> pending)
    {
        var copied = new HashSet<string>();
        if (pending.Count == 0 || !Directory.Exists(resultsRoot)) return copied;
        var wanted = pending.ToDictionary(c => c.RunId);
        foreach (var folder in Directory.GetDirectories(resultsRoot).Order(StringComparer.Ordinal))
        {
            var other = new ResultsStore(folder);
            if (Path.GetFullPath(folder) == Path.GetFullPath(store.Folder) || !File.Exists(other.RunsCsv)) continue;
            foreach (var run in other.Runs())
            {
                if (!wanted.Remove(run.RunId, out var planned) || !File.Exists(other.CurvePath(run.RunId))) continue;
                AtomicFile.WriteAllBytes(store.CurvePath(run.RunId), File.ReadAllBytes(other.CurvePath(run.RunId)));
                RunsTable.Upsert(store.RunsCsv, run with { Config = planned });
                copied.Add(run.RunId);
            }
        }
        return copied;
    }

    /// <summary>The shard's runs, validated, without duplicates.</summary>
    public static IReadOnlyList<TrainConfig> Plan(Experiment experiment, Profile profile, Shard shard)
    {
        var grid = experiment.Runs(profile).DistinctBy(c => c.RunId).ToList();
        foreach (var config in grid) ConfigValidation.EnsureRules(config);
        return shard.Select(grid).ToList();
    }
}
