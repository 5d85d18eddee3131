using Proxies.Display;
using Proxies.Experiments;
using Proxies.Results;

namespace Proxies.Claims;

/// <summary>
/// How far the same run, same config and seed, lands from itself when trained again on another machine, build or
/// thread count: the noise a one-seed claim must beat. Float32 reductions change order with the thread split and
/// the CPU's vector width, and a high-LR run amplifies that. Measured by <see cref="RerunMeasurement"/> on one
/// experiment's runs and kept in rerun-noise.csv beside the results (one file per results folder, applied to every
/// one-seed claim there): the largest difference over the retrained sample, per unit.
/// </summary>
public sealed record RerunNoise(double Nats, double Decades, double LrDecades, int Runs, string Source)
{
    public const string FileName = "rerun-noise.csv";

    /// <summary>The quantities rerun-noise.csv compares, one per <see cref="Unit"/>.</summary>
    public static class Quantity
    {
        public const string Loss = "final_eval_loss";
        public const string Decades = "log10_max_attn_logit";
        public const string LrDecades = "optimal_log10_lr";
    }

    public double Of(Unit unit) => unit switch
    {
        Unit.Nats => Nats,
        Unit.Decades => Decades,
        Unit.LrDecades => LrDecades,
        _ => double.NaN,
    };

    /// <summary>The noise of <paramref name="resultsRoot"/>'s committed runs, or null when none was measured.</summary>
    public static RerunNoise? Read(string resultsRoot)
    {
        var path = Path.Combine(resultsRoot, FileName);
        if (!File.Exists(path)) return null;
        var rows = Csv.ReadRecords(path);
        // A difference that is not a number (one side NaN) is a rerun that landed anywhere: unbounded noise, not none.
        double Largest(string quantity) => rows.Where(r => r["quantity"] == quantity).Select(r => Math.Abs(Csv.ParseDouble(r["difference"])))
            .Select(d => double.IsNaN(d) ? double.PositiveInfinity : d).DefaultIfEmpty(double.NaN).Max();
        return new RerunNoise(Largest(Quantity.Loss), Largest(Quantity.Decades), Largest(Quantity.LrDecades),
            rows.Count(r => r["quantity"] == Quantity.Loss), path);
    }

    /// <summary>rerun-noise.csv as a table: per quantity and LR, how many runs were retrained and the largest and median
    /// difference from the committed run.</summary>
    public static Display.Table Table(string resultsRoot)
    {
        var path = Path.Combine(resultsRoot, FileName);
        var rows = File.Exists(path) ? Csv.ReadRecords(path) : [];
        var groups = rows.GroupBy(r => (Quantity: r["quantity"], Lr: r["lr"])).Select(g =>
            (g.Key, Differences: g.Select(r => Math.Abs(Csv.ParseDouble(r["difference"]))).Order().ToList()));
        return Display.Table.Of($"Rerun noise: the same config and seed trained again ({(rows.Count > 0 ? rows[0]["rerun_on"] : "not measured")})", groups,
            ("quantity", g => g.Key.Quantity), ("LR", g => g.Key.Lr == "NaN" ? "whole arm" : g.Key.Lr), ("runs", g => g.Differences.Count),
            ("largest |difference|", g => g.Differences[^1]),
            ("median |difference|", g => Analysis.UpperMedian(g.Differences)));
    }
}
