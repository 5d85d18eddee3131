using Proxies.Experiments;
using Proxies.Results;
using Proxies.Training;

namespace Proxies.Forecasting;

/// <summary>One ladder run's metrics (<see cref="LadderMetric"/>), by metric name.</summary>
public sealed record LadderPoint(ModelSize Size, double Lr, int Seed, IReadOnlyDictionary<string, double> Values)
{
    public double this[LadderMetric metric] => Values.TryGetValue(metric.Name, out var v) ? v : double.NaN;
}

/// <summary>The ladder's runs as metric values: each run read once from its curve, and the loss penalty added per size
/// and seed against that seed's best LR. A diverged run (NaN, inf, or a final loss above its loss at initialisation) is
/// charged that initial loss, the loss of a model that learnt nothing, by the rule LR sensitivity uses
/// (<see cref="LrSensitivity.Clipped"/>).</summary>
public static class LadderTable
{
    public static IReadOnlyList<LadderPoint> Read(ResultsStore store, IEnumerable<RunResult> runs)
    {
        var points = runs.Select(run =>
        {
            var curve = CurveFile.Read(store.CurvePath(run.RunId));
            var values = LadderMetric.PerRun().ToDictionary(m => m.Name, m => m.Read(store, run, curve));
            values[FinalLoss] = LrSensitivity.Clipped(new LrPoint(run.Config.Lr, run.FinalEvalLoss, run.InitialLoss, run.Diverged));
            var m = run.Config.Model;
            return new LadderPoint(ModelSize.Of(m), run.Config.Lr, run.Config.Seed, values);
        }).ToList();
        return WithPenalty(points);
    }

    /// <summary>The final held-out loss the penalty is computed from.</summary>
    public const string FinalLoss = "final_loss";

    /// <summary>Adds <see cref="LadderMetric.LossPenalty"/>: each point's final loss minus the lowest at its size and seed.</summary>
    public static IReadOnlyList<LadderPoint> WithPenalty(IReadOnlyList<LadderPoint> points)
    {
        var best = points.GroupBy(p => (p.Size, p.Seed)).ToDictionary(g => g.Key, g => g.Min(p => p.Values[FinalLoss]));
        return points.Select(p => p with
        {
            Values = new Dictionary<string, double>(p.Values) { [LadderMetric.LossPenalty.Name] = p.Values[FinalLoss] - best[(p.Size, p.Seed)] },
        }).ToList();
    }
}
