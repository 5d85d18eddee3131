using System.Globalization;
using System.Text;
using System.Text.Json;
using Proxies.Training;

namespace Proxies.Results;

/// <summary>
/// runs.csv: one row per run, keyed by run_id. Plain columns for analysis in any tool, plus the full config as
/// JSON so a row can be read back into a <see cref="RunResult"/>. Every change rewrites the file atomically under
/// an exclusive lock, so workers writing side by side never tear or duplicate a row.
/// </summary>
public static class RunsTable
{
    static string F(double x) => Csv.Format(x);
    static string I(long x) => x.ToString(CultureInfo.InvariantCulture);
    static string B(bool x) => x ? "true" : "false";

    static readonly (string Name, Func<RunResult, string> Value)[] Columns =
    {
        ("run_id", r => r.RunId),
        ("experiment", r => r.Config.Experiment),
        ("variant", r => r.Config.Variant),
        ("width", r => I(r.Config.Model.Width)),
        ("depth", r => I(r.Config.Model.Depth)),
        ("heads", r => I(r.Config.Model.Heads)),
        ("head_dim", r => I(r.Config.Model.HeadDim)),
        ("seq_len", r => I(r.Config.Model.SeqLen)),
        ("batch_size", r => I(r.Config.BatchSize)),
        ("vocab", r => I(r.Config.Model.Vocab)),
        ("params", r => I(r.Params)),
        ("lr", r => F(r.Config.Lr)),
        ("min_lr", r => F(r.Config.MinLr)),
        ("warmup_steps", r => I(r.Config.WarmupSteps)),
        ("steps", r => I(r.Config.Steps)),
        ("qk_layernorm", r => B(r.Config.Model.QkLayerNorm)),
        ("z_loss", r => F(r.Config.ZLoss)),
        ("weight_decay", r => F(r.Config.WeightDecay)),
        ("wd_mode", r => r.Config.WdMode.ToString().ToLowerInvariant()),
        ("mu_param", r => r.Config.Model.MuParam.ToString().ToLowerInvariant()),
        ("eps", r => F(r.Config.Eps)),
        ("seed", r => I(r.Config.Seed)),
        ("initial_loss", r => F(r.InitialLoss)),
        ("final_train_loss", r => F(r.FinalTrainLoss)),
        ("final_eval_loss", r => F(r.FinalEvalLoss)),
        ("diverged", r => B(r.Diverged)),
        ("diverged_step", r => I(r.DivergedStep)),
        ("steps_done", r => I(r.StepsDone)),
        ("max_attn_logit", r => F(r.MaxAttnLogit)),
        ("max_attn_logit_block0", r => F(r.MaxAttnLogitBlock0)),
        ("final_output_logit_mean", r => F(r.FinalOutputLogitMean)),
        ("final_log_z", r => F(r.FinalLogZ)),
        ("wall_s", r => F(r.WallSeconds)),
        ("ms_per_step", r => F(r.MsPerStep)),
        ("config", r => JsonSerializer.Serialize(r.Config, TrainConfig.JsonOptions)),
    };

    public static IReadOnlyList<string> ColumnNames { get; } = Columns.Select(c => c.Name).ToArray();
    static readonly Dictionary<string, int> ColumnIndex = ColumnNames.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i);

    /// <summary>Adds the run, or replaces the row with the same run_id.</summary>
    public static void Upsert(string path, RunResult result)
    {
        using var _ = FileLock.Acquire(path + ".lock");
        var rows = File.Exists(path) ? ReadRows(path) : new List<List<string>>();
        var line = Columns.Select(c => c.Value(result)).ToList();
        int at = rows.FindIndex(r => r[0] == result.RunId);
        if (at >= 0) rows[at] = line; else rows.Add(line);
        var text = new StringBuilder(Csv.Line(ColumnNames)).Append('\n');
        foreach (var row in rows) text.Append(Csv.Line(row)).Append('\n');
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>Every run in the file, read back from its config JSON and result columns.</summary>
    public static List<RunResult> Read(string path)
    {
        var rows = ReadRows(path);
        try { return rows.Select(Parse).ToList(); }
        catch (Exception e) when (e is FormatException or JsonException or OverflowException)
        {
            throw new ResultsFileException(path, $"a value cannot be read ({e.Message}); the file was edited by hand or damaged");
        }
    }

    /// <summary>Rows without the header; refuses a file whose header or row widths do not match.</summary>
    static List<List<string>> ReadRows(string path)
    {
        List<List<string>> rows;
        try { rows = Csv.Parse(File.ReadAllText(path)); }
        catch (FormatException e) { throw new ResultsFileException(path, e.Message); }
        if (rows.Count == 0) return rows;
        if (!rows[0].SequenceEqual(ColumnNames))
            throw new ResultsFileException(path, "its header is not the runs.csv header of this version (hand-edited, or another tool's file)");
        for (int i = 1; i < rows.Count; i++)
            if (rows[i].Count != ColumnNames.Count)
                throw new ResultsFileException(path, $"line {i + 1} has {rows[i].Count} fields, not {ColumnNames.Count} (a torn or hand-edited row)");
        return rows.Skip(1).ToList();
    }

    static RunResult Parse(List<string> row)
    {
        string Get(string name) => row[ColumnIndex[name]];
        double D(string name) => Csv.ParseDouble(Get(name));
        var config = JsonSerializer.Deserialize<TrainConfig>(Get("config"), TrainConfig.JsonOptions)!;
        return new RunResult
        {
            RunId = Get("run_id"),
            Config = config,
            Params = long.Parse(Get("params"), CultureInfo.InvariantCulture),
            InitialLoss = D("initial_loss"),
            FinalTrainLoss = D("final_train_loss"),
            FinalEvalLoss = D("final_eval_loss"),
            Diverged = Get("diverged") == "true",
            DivergedStep = int.Parse(Get("diverged_step"), CultureInfo.InvariantCulture),
            StepsDone = int.Parse(Get("steps_done"), CultureInfo.InvariantCulture),
            MaxAttnLogit = D("max_attn_logit"),
            MaxAttnLogitBlock0 = D("max_attn_logit_block0"),
            FinalOutputLogitMean = D("final_output_logit_mean"),
            FinalLogZ = D("final_log_z"),
            WallSeconds = D("wall_s"),
            MsPerStep = D("ms_per_step"),
        };
    }
}

/// <summary>A results file cannot be read; the message names the file and what to do.</summary>
public sealed class ResultsFileException(string path, string problem)
    : Exception($"{path}: {problem}. Move the file aside (finished curves stay in curves/) and run again to rebuild it, or restore it from a copy.")
{
    public string Path { get; } = path;
}
