using System.Globalization;
using Proxies.Display;
using Proxies.Results;
using Proxies.Runtime;

namespace Proxies.Forecasting;

/// <summary>A forecast's report as tables (shown by the `forecast` verb and notebook 13) and as CSV files.</summary>
public static class ForecastTables
{
    static string Family(FitFamily f) => f.ToString().ToLowerInvariant();

    /// <summary>Per LR: the planned size's early max logit, loss penalty and head-μ drift, each value [95% interval].</summary>
    public static Table Forecast(ForecastReport r)
    {
        var logit = r.Protocols[0].Metric.Name;
        var columns = new[] { logit, LadderMetric.LossPenalty.Name, LadderMetric.HeadMuDrift.Name };
        var lrs = r.Rows.Select(x => x.Lr).Distinct().Order();
        return Table.FromRows($"Forecast for {r.Planned.Label} ({r.PlannedParams:N0} non-embedding parameters): value [95% interval]",
            ["lr", .. columns, $"penalty ≤ {r.Tolerance:G3}"],
            lrs.Select(lr =>
            {
                var cells = columns.Select(c => r.Rows.FirstOrDefault(x => x.Lr == lr && x.Metric == c) is { } row ? Interval(row.Value, row.Low, row.High) : "-");
                var penalty = r.Rows.FirstOrDefault(x => x.Lr == lr && x.Metric == LadderMetric.LossPenalty.Name);
                string safe = penalty is null ? "-" : penalty.High <= r.Tolerance ? "yes" : penalty.Value <= r.Tolerance ? "likely" : "no";
                return new object?[] { lr }.Concat(cells).Append(safe);
            }));
    }

    /// <summary>Per metric: what the rolling backtest chose, every family's median |error| on common targets, the
    /// chosen family's RMS and leave-one-out coverage, and its coverage on the held-out sizes.</summary>
    public static Table Protocol(ForecastReport r) => Table.FromRows("Protocol, fixed on the fit sizes by the rolling backtest (errors in fit units: log10 for logits and gradients, nats for the penalty, per 1,000 steps for the drift)",
        ["metric", "family", "median |error| persistence", "median |error| line", "median |error| quadratic", "backtest rms", "backtest coverage (LOO)", "held-out coverage"],
        r.Protocols.Select(p => new object?[]
        {
            p.Metric.Name, Family(p.Family),
            p.MedianError.GetValueOrDefault(FitFamily.Persistence, double.NaN), p.MedianError.GetValueOrDefault(FitFamily.Line, double.NaN),
            p.MedianError.GetValueOrDefault(FitFamily.Quadratic, double.NaN), p.Rms, p.Coverage, r.HeldOutCoverage(p.Metric.Name, p.Family),
        }));

    /// <summary>How the early logit's window was chosen: per window, the chosen family's median backtest error, the logit's
    /// spread across LRs at the largest fit size, and their ratio (the smallest wins).</summary>
    public static Table Windows(ForecastReport r) => Table.FromRows("Early-logit window, chosen on the fit sizes by error relative to the spread across LRs (log10 units; smallest ratio wins)",
        ["metric", "family", "median |error|", "spread across LRs", "ratio", "chosen"],
        r.Windows.Select(w => new object?[] { w.Metric, Family(w.Family), w.MedianError, w.SpreadAcrossLrs, w.Score, w.Metric == r.Protocols[0].Metric.Name ? "yes" : "" }));

    /// <summary>Every family's prediction of each held-out size, per metric and LR, in natural units, with its stated interval,
    /// the observed seed mean and how many seeds fell inside.</summary>
    public static Table HeldOut(ForecastReport r, string metric)
    {
        var protocol = r.ProtocolFor(metric);
        return Table.FromRows($"Held-out sizes, {metric}: every predictor, fitted on all fit sizes",
            ["size", "params", "lr", "predictor", "predicted", "95% interval", "observed (seed mean)", "seeds inside"],
            r.HeldOut.Where(p => p.Metric == metric).OrderBy(p => p.TargetParams).ThenBy(p => p.Lr).ThenBy(p => p.Family).Select(p =>
            {
                double half = p.StatedHalfWidth(protocol.RmsOf(p.Family));
                var m = protocol.Metric;
                return new object?[]
                {
                    p.Target.Label, p.TargetParams, p.Lr, Family(p.Family) + (p.Family == protocol.Family ? " (chosen)" : ""),
                    m.FromFitScale(p.Predicted), Interval(m.FromFitScale(p.Predicted - half), m.FromFitScale(p.Predicted + half)),
                    m.FromFitScale(p.ObservedMean), $"{p.Inside(protocol.RmsOf(p.Family))}/{p.Observed.Count}",
                };
            }));
    }

    /// <summary>Per layer and LR: where the gradient RMS meets ε, and its value at the planned size.</summary>
    public static Table Crossovers(ForecastReport r) => Table.FromRows(
        $"Where each layer's gradient RMS meets ε = {r.Eps:G3} (straight line in log–log over the fit sizes), and its RMS at {r.Planned.Label}",
        ["layer", "lr", "slope per decade", "parameters at ε", "95% interval", $"rms at {r.Planned.Label}", "95% interval "],
        r.Crossovers.Select(c => new object?[] { c.Layer, c.Lr, c.SlopePerDecade, c.ParamsAtEps, Interval(c.Low, c.High), c.RmsAtPlanned, Interval(c.RmsLow, c.RmsHigh) }));

    static string Interval(double low, double high) => $"[{Table.Format(low)}, {Table.Format(high)}]";
    static string Interval(double value, double low, double high) => $"{Table.Format(value)} {Interval(low, high)}";

    /// <summary>Writes forecast.csv, protocol.csv, logit-window.csv, held-out.csv (every metric) and eps-crossover.csv into
    /// <paramref name="folder"/>, each atomically; returns the paths.</summary>
    public static IReadOnlyList<string> Write(string folder, ForecastReport r)
    {
        Directory.CreateDirectory(folder);
        var heldOut = r.Protocols.Select(p => HeldOut(r, p.Metric.Name)).ToList();
        var files = new (string Name, IReadOnlyList<Table> Tables, string? Key)[]
        {
            ("forecast.csv", [Forecast(r)], null), ("protocol.csv", [Protocol(r)], null), ("logit-window.csv", [Windows(r)], null),
            ("held-out.csv", heldOut, "metric"), ("eps-crossover.csv", [Crossovers(r)], null),
        };
        return files.Select(f =>
        {
            var path = Path.Combine(folder, f.Name);
            AtomicFile.WriteAllText(path, ToCsv(f.Tables, f.Key, r.Protocols.Select(p => p.Metric.Name).ToList()));
            return path;
        }).ToList();
    }

    /// <summary>Tables with the same columns as one CSV; with a key, a first column naming each row's table.</summary>
    static string ToCsv(IReadOnlyList<Table> tables, string? key, IReadOnlyList<string> keys)
    {
        var header = tables[0].Frame.ColumnKeys.ToList();
        var lines = new List<string> { Csv.Line(key is null ? header : header.Prepend(key)) };
        for (int t = 0; t < tables.Count; t++)
        {
            var frame = tables[t].Frame;
            foreach (var row in frame.RowKeys)
            {
                var cells = header.Select(c => Cell(frame.GetColumn<object>(c).TryGet(row)));
                lines.Add(Csv.Line(key is null ? cells : cells.Prepend(keys[t])));
            }
        }
        return string.Join("\n", lines) + "\n";
    }

    static string Cell(Deedle.OptionalValue<object> v) => !v.HasValue ? "" : v.Value switch
    {
        double d => Csv.Format(d),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var o => o?.ToString() ?? "",
    };
}
