using System.Globalization;
using System.Text.Json;
using System.Text;
using Proxies.Runtime;
using Proxies.Training;

namespace Proxies.Results;

/// <summary>
/// runs.csv: one row per run, keyed by run_id. Plain columns for analysis in any tool, plus the full config as
/// JSON so a row can be read back into a <see cref="RunResult"/>. Columns are read by name, so a file written by an
/// earlier version (fewer columns) still reads, and is rewritten in the current form on the next change. Every
/// change rewrites the file atomically under an exclusive lock, so workers side by side never tear or duplicate a row.
/// </summary>
public static class RunsTable
{
    static string F(double x) => Csv.Format(x);
    static string B(bool x) => x ? "true" : "false";

    /// <summary>The config's plain columns, one per switch, for analysis in any tool (the full config is the last column).</summary>
    static readonly (string Name, Func<TrainConfig, string> Value)[] ConfigColumns =
        new (string, Func<TrainConfig, string>)[] { ("experiment", c => c.Experiment), ("variant", c => c.Variant) }
            .Concat(ConfigSwitches.All.Select(s => (s.Column, s.Show))).ToArray();

    const string ConfigJson = "config";

    /// <summary>run_id, the config's plain columns, every <see cref="RunSummary"/> value by its name, then the config as JSON.</summary>
    public static IReadOnlyList<string> ColumnNames { get; } =
        ConfigColumns.Select(c => c.Name).Prepend("run_id").Concat(RunSummary.Names).Append(ConfigJson).ToArray();

    static IEnumerable<string> Row(RunResult r) =>
        ConfigColumns.Select(c => c.Value(r.Config)).Prepend(r.RunId)
            .Concat(RunSummary.Names.Select(n => RunSummary.IsFlag(n) ? B(r[n] == 1) : F(r[n])))
            .Append(JsonSerializer.Serialize(r.Config, TrainConfig.JsonOptions));

    /// <summary>Summary columns of files written before the summary took the curve's names, read under the new name.</summary>
    static readonly Dictionary<string, string> EarlierNames = new()
    {
        ["initial_loss"] = RunSummary.Initial(RunSummary.EvalLoss),
        ["final_train_loss"] = RunSummary.Final(RunSummary.Loss),
        ["final_eval_loss"] = RunSummary.Final(RunSummary.EvalLoss),
        ["max_attn_logit"] = RunSummary.Max(Model.ForwardProbe.MaxLogit),
        ["max_attn_logit_block0"] = RunSummary.Max(Model.ForwardProbe.BlockMaxLogit(0)),
        ["final_output_logit_mean"] = RunSummary.Final(Losses.LossTerms.OutputLogitMeanName),
        ["final_log_z"] = RunSummary.Final(Losses.LossTerms.LogZName),
        ["final_logit_std"] = RunSummary.Final(Losses.LossTerms.LogitStdName),
        ["initial_head_mu_norm"] = RunSummary.Initial(Probes.OutputStatistics.HeadMuNorm),
        ["head_mu_norm"] = RunSummary.Final(Probes.OutputStatistics.HeadMuNorm),
        ["embed_mu_norm"] = RunSummary.Final(Probes.OutputStatistics.EmbedMuNorm),
        ["hidden_mean_norm"] = RunSummary.Final(Probes.OutputStatistics.HiddenMeanNorm),
        ["final_ln_gain_rms"] = RunSummary.Final(Probes.OutputStatistics.FinalLnGainRms),
    };

    /// <summary>Adds the run, or replaces the row with the same run_id.</summary>
    public static void Upsert(string path, RunResult result)
    {
        using var _ = FileLock.Acquire(path + ".lock");
        var runs = File.Exists(path) ? Read(path) : new List<RunResult>();
        int at = runs.FindIndex(r => r.RunId == result.RunId);
        if (at >= 0) runs[at] = result; else runs.Add(result);
        var text = new StringBuilder(Csv.Line(ColumnNames)).Append('\n');
        foreach (var run in runs) text.Append(Csv.Line(Row(run))).Append('\n');
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>Every run in the file, read back from its config JSON and result columns.</summary>
    public static List<RunResult> Read(string path)
    {
        List<List<string>> rows;
        try { rows = Csv.Parse(File.ReadAllText(path)); }
        catch (FormatException e) { throw new ResultsFileException(path, e.Message); }
        if (rows.Count == 0) return new List<RunResult>();
        var header = rows[0];
        if (!header.Contains("run_id") || !header.Contains("config") || header.Distinct().Count() != header.Count)
            throw new ResultsFileException(path, "its header is not a runs.csv header (no run_id or config column, or a repeated column): hand-edited, or another tool's file");
        var index = header.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i);
        var runs = new List<RunResult>();
        for (int i = 1; i < rows.Count; i++)
        {
            if (rows[i].Count != header.Count)
                throw new ResultsFileException(path, $"line {i + 1} has {rows[i].Count} fields, not {header.Count} (a torn or hand-edited row)");
            try { runs.Add(Parse(rows[i], index)); }
            catch (Exception e) when (e is FormatException or JsonException or OverflowException or KeyNotFoundException)
            {
                throw new ResultsFileException(path, $"line {i + 1}: a value cannot be read ({e.Message}); the file was edited by hand or damaged");
            }
        }
        return runs;
    }

    static RunResult Parse(List<string> row, Dictionary<string, int> index)
    {
        var config = JsonSerializer.Deserialize<TrainConfig>(row[index[ConfigJson]], TrainConfig.JsonOptions)
            ?? throw new FormatException("empty config");
        var values = new Dictionary<string, double>();
        foreach (var (column, i) in index)
        {
            var name = EarlierNames.GetValueOrDefault(column, column);
            if (!RunSummary.Names.Contains(name)) continue;
            values[name] = RunSummary.IsFlag(name)
                ? row[i] switch { "true" => 1, "false" => 0, var other => throw new FormatException($"{column} is '{other}', not true or false") }
                : Csv.ParseDouble(row[i]);
        }
        return new RunResult { RunId = row[index["run_id"]], Config = config, Values = values };
    }
}

/// <summary>A results file cannot be read; the message names the file and what to do.</summary>
public sealed class ResultsFileException(string path, string problem)
    : Exception($"{path}: {problem}. Move the file aside (finished curves stay in curves/) and run again to rebuild it, or restore it from a copy.")
{
    public string Path { get; } = path;
}
