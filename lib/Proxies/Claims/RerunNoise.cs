using Proxies.Results;

namespace Proxies.Claims;

/// <summary>
/// How far the same run, same config and seed, lands from itself when trained again on another machine, build or
/// thread count: the noise a one-seed claim must beat. Float32 reductions change order with the thread split and
/// the CPU's vector width, and a high-LR run amplifies that. Measured by <see cref="RerunMeasurement"/> and kept in
/// rerun-noise.csv beside the results: the largest difference over the retrained sample, per unit.
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
        _ => LrDecades,
    };

    /// <summary>The noise of <paramref name="resultsRoot"/>'s committed runs, or null when none was measured.</summary>
    public static RerunNoise? Read(string resultsRoot)
    {
        var path = Path.Combine(resultsRoot, FileName);
        if (!File.Exists(path)) return null;
        var rows = Csv.ReadRecords(path);
        double Largest(string quantity) =>
            rows.Where(r => r["quantity"] == quantity).Select(r => Math.Abs(Csv.ParseDouble(r["difference"]))).DefaultIfEmpty(double.NaN).Max();
        return new RerunNoise(Largest(Quantity.Loss), Largest(Quantity.Decades), Largest(Quantity.LrDecades),
            rows.Count(r => r["quantity"] == Quantity.Loss), path);
    }
}
