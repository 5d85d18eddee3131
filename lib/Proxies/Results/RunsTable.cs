using System.Globalization;
using System.Text;
using System.Text.Json;
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
    static string I(long x) => x.ToString(CultureInfo.InvariantCulture);
    static string B(bool x) => x ? "true" : "false";
    static string W<T>(T x) where T : Enum => x.ToString().ToLowerInvariant();

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
        ("vocab", r => r.Config.Vocab),
        ("vocab_size", r => I(r.Config.Model.Vocab)),
        ("params", r => I(r.Params)),
        ("lr", r => F(r.Config.Lr)),
        ("min_lr", r => F(r.Config.MinLr)),
        ("warmup_steps", r => I(r.Config.WarmupSteps)),
        ("steps", r => I(r.Config.Steps)),
        ("optimizer", r => W(r.Config.Optimizer)),
        ("qk_layernorm", r => B(r.Config.Model.QkLayerNorm)),
        ("z_loss", r => F(r.Config.ZLoss)),
        ("weight_decay", r => F(r.Config.WeightDecay)),
        ("wd_mode", r => W(r.Config.WdMode)),
        ("mu_param", r => W(r.Config.Model.MuParam)),
        ("eps", r => F(r.Config.Eps)),
        ("mu_centering", r => B(r.Config.MuCentering)),
        ("mu_loss", r => F(r.Config.MuLoss)),
        ("logit_softcap", r => F(r.Config.Model.LogitSoftcap)),
        ("tie_head", r => B(r.Config.Model.TieHead)),
        ("final_ln_gain", r => W(r.Config.Model.FinalLnGain)),
        ("precision", r => W(r.Config.Model.Precision)),
        ("gelu", r => W(r.Config.Model.Gelu)),
        ("matmul", r => W(r.Config.Model.Matmul)),
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
        ("final_logit_std", r => F(r.FinalLogitStd)),
        ("initial_head_mu_norm", r => F(r.InitialHeadMuNorm)),
        ("head_mu_norm", r => F(r.FinalHeadMuNorm)),
        ("embed_mu_norm", r => F(r.FinalEmbedMuNorm)),
        ("hidden_mean_norm", r => F(r.FinalHiddenMeanNorm)),
        ("final_ln_gain_rms", r => F(r.FinalLnGainRms)),
        ("wall_s", r => F(r.WallSeconds)),
        ("ms_per_step", r => F(r.MsPerStep)),
        ("config", r => JsonSerializer.Serialize(r.Config, TrainConfig.JsonOptions)),
    };

    public static IReadOnlyList<string> ColumnNames { get; } = Columns.Select(c => c.Name).ToArray();

    /// <summary>Adds the run, or replaces the row with the same run_id.</summary>
    public static void Upsert(string path, RunResult result)
    {
        using var _ = FileLock.Acquire(path + ".lock");
        var runs = File.Exists(path) ? Read(path) : new List<RunResult>();
        int at = runs.FindIndex(r => r.RunId == result.RunId);
        if (at >= 0) runs[at] = result; else runs.Add(result);
        var text = new StringBuilder(Csv.Line(ColumnNames)).Append('\n');
        foreach (var run in runs) text.Append(Csv.Line(Columns.Select(c => c.Value(run)))).Append('\n');
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
        string Get(string name) => row[index[name]];
        double D(string name) => index.ContainsKey(name) ? Csv.ParseDouble(Get(name)) : double.NaN;
        int Int(string name) => int.Parse(Get(name), CultureInfo.InvariantCulture);
        var config = JsonSerializer.Deserialize<TrainConfig>(Get("config"), TrainConfig.JsonOptions)
            ?? throw new FormatException("empty config");
        var diverged = Get("diverged") switch { "true" => true, "false" => false, var other => throw new FormatException($"diverged is '{other}'") };
        return new RunResult
        {
            RunId = Get("run_id"),
            Config = config,
            Params = long.Parse(Get("params"), CultureInfo.InvariantCulture),
            InitialLoss = D("initial_loss"),
            FinalTrainLoss = D("final_train_loss"),
            FinalEvalLoss = D("final_eval_loss"),
            Diverged = diverged,
            DivergedStep = Int("diverged_step"),
            StepsDone = Int("steps_done"),
            MaxAttnLogit = D("max_attn_logit"),
            MaxAttnLogitBlock0 = D("max_attn_logit_block0"),
            FinalOutputLogitMean = D("final_output_logit_mean"),
            FinalLogZ = D("final_log_z"),
            FinalLogitStd = D("final_logit_std"),
            InitialHeadMuNorm = D("initial_head_mu_norm"),
            FinalHeadMuNorm = D("head_mu_norm"),
            FinalEmbedMuNorm = D("embed_mu_norm"),
            FinalHiddenMeanNorm = D("hidden_mean_norm"),
            FinalLnGainRms = D("final_ln_gain_rms"),
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
