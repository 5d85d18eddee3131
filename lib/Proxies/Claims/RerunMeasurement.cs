using Proxies.Experiments;
using Proxies.Results;
using Proxies.Runtime;
using Proxies.Sweeps;
using Proxies.Training;

namespace Proxies.Claims;

/// <summary>
/// Measures <see cref="RerunNoise"/>: retrains committed runs, same config and seed, on this machine at a chosen
/// thread count, and compares each with its committed twin: final held-out loss, log₁₀ max attention logit and, for an
/// arm retrained at every LR, log₁₀ of its optimal LR. The rows go to rerun-noise.csv in the results folder.
/// </summary>
public static class RerunMeasurement
{
    public static void Measure(string resultsRoot, string experiment, Func<RunResult, bool> select, int threads, string scratch,
        Action<string>? progress = null)
    {
        var committed = new ResultsStore(resultsRoot, experiment).Runs().Where(select).ToList();
        if (committed.Count == 0) throw new ArgumentException($"no committed run of {experiment} under {resultsRoot} matches the selection");
        TorchRuntime.Start(threads);
        var device = TorchRuntime.ResolveDevice("cpu");
        var pairs = committed.Select((c, i) =>
        {
            var rerun = RecordedRun.Train(c.Config, scratch, device, checkpointEvery: 0);
            progress?.Invoke($"{i + 1}/{committed.Count} {c.Config.Variant} d{c.Config.Model.Width} lr {c.Config.Lr:G2}: " +
                $"{c.FinalEvalLoss:F4} committed, {rerun.FinalEvalLoss:F4} here");
            return (Committed: c, Rerun: rerun);
        }).ToList();
        string here = $"{Provenance.Cpu()}, {threads} thread(s)";
        var rows = new List<string> { Csv.Line(["run_id", "variant", "width", "depth", "lr", "quantity", "committed", "rerun", "difference", "rerun_on"]) };
        void Add(RunResult r, double lr, string quantity, double a, double b) => rows.Add(Csv.Line(
            [r.RunId, r.Config.Variant, $"{r.Config.Model.Width}", $"{r.Config.Model.Depth}", Csv.Format(lr), quantity, Csv.Format(a), Csv.Format(b), Csv.Format(b - a), here]));
        // Losses as the claims read them: clipped at ℓ0, a diverged run counted as ℓ0 (LrSensitivity.Clipped).
        static double Clipped(RunResult r) => LrSensitivity.Clipped(new LrPoint(r.Config.Lr, r.FinalEvalLoss, r.InitialLoss, r.Diverged));
        foreach (var (c, r) in pairs)
        {
            Add(c, c.Config.Lr, RerunNoise.Quantity.Loss, Clipped(c), Clipped(r));
            Add(c, c.Config.Lr, RerunNoise.Quantity.Decades, Math.Log10(c.MaxAttnLogit), Math.Log10(r.MaxAttnLogit));
        }
        var gridSize = committed.GroupBy(r => r.Config.Variant).ToDictionary(g => g.Key, g => g.Select(r => r.Config.Lr).Distinct().Count());
        foreach (var arm in pairs.GroupBy(p => (p.Committed.Config.Variant, p.Committed.Config.Model.Width, p.Committed.Config.Model.Depth, p.Committed.Config.Seed))
                     .Where(g => g.Count() == gridSize[g.Key.Variant] && g.Count() >= 3))
        {
            double Optimum(Func<(RunResult Committed, RunResult Rerun), RunResult> pick) =>
                OptimalLr.Log10(arm.Select(p => (pick(p).Config.Lr, Clipped(pick(p)))).ToList());
            Add(arm.First().Committed, double.NaN, RerunNoise.Quantity.LrDecades, Optimum(p => p.Committed), Optimum(p => p.Rerun));
        }
        AtomicFile.WriteAllText(Path.Combine(resultsRoot, RerunNoise.FileName), string.Join("\n", rows) + "\n");
    }
}
