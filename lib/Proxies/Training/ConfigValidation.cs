using System.Globalization;
using Proxies.Model;

namespace Proxies.Training;

/// <summary>One thing wrong with a config, named by its command-line flag.</summary>
public sealed record ConfigError(string Flag, string Value, string Allowed)
{
    public override string ToString() => $"{Flag} {Value}: {Allowed}";
}

/// <summary>A config that cannot run; refused before any work or file is written.</summary>
public sealed class InvalidConfigException(IReadOnlyList<ConfigError> errors)
    : Exception("invalid configuration:\n  " + string.Join("\n  ", errors))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}

/// <summary>Checks a <see cref="TrainConfig"/> before a run starts. Messages name the CLI flag, the value and what is allowed.</summary>
public static class ConfigValidation
{
    public static IReadOnlyList<ConfigError> Check(TrainConfig c)
    {
        var errors = new List<ConfigError>();
        void Require(bool ok, string flag, object value, string allowed)
        {
            if (!ok) errors.Add(new ConfigError(flag, Format(value), allowed));
        }
        var m = c.Model;
        Require(m.Width >= 2 && m.Width <= 65536, "--width", m.Width, "must be an integer from 2 to 65536");
        Require(m.Depth >= 1 && m.Depth <= 1024, "--depth", m.Depth, "must be an integer from 1 to 1024");
        Require(m.Heads >= 1, "--heads", m.Heads, "must be at least 1");
        if (m.Heads >= 1 && m.Width >= 2)
        {
            Require(m.Width % m.Heads == 0, "--heads", m.Heads, $"must divide --width {m.Width} (width = heads × head dim)");
            Require(m.Width % m.Heads != 0 || m.HeadDim % 2 == 0, "--head-dim", m.HeadDim, "must be even (RoPE rotates channel pairs)");
        }
        Require(m.SeqLen >= 2 && m.SeqLen <= 1 << 16, "--seq-len", m.SeqLen, "must be an integer from 2 to 65536");
        if (Data.Vocabularies.Check(c.Vocab) is { } vocabProblem) errors.Add(new ConfigError("--vocab", c.Vocab, vocabProblem));
        Require(m.MuParamBaseWidth >= 1, "--mu-base-width", m.MuParamBaseWidth, "must be at least 1");
        Require(c.BatchSize >= 1, "--batch-size", c.BatchSize, "must be at least 1");
        Require(c.Steps >= 1, "--steps", c.Steps, "must be at least 1");
        Require(c.WarmupSteps >= 0 && c.WarmupSteps <= c.Steps, "--warmup-steps", c.WarmupSteps, $"must be from 0 to --steps ({c.Steps})");
        Require(Positive(c.Lr), "--lr", c.Lr, "must be a positive finite number, e.g. 1e-2");
        Require(double.IsFinite(c.MinLr) && c.MinLr >= 0 && c.MinLr <= c.Lr, "--min-lr", c.MinLr, $"must be from 0 to --lr ({Format(c.Lr)})");
        Require(Positive(c.Eps) && c.Eps <= 1, "--eps", c.Eps, "must be a positive finite number at most 1 (the paper uses 1e-15 to 1e-6)");
        Require(double.IsFinite(c.Beta1) && c.Beta1 >= 0 && c.Beta1 < 1, "--beta1", c.Beta1, "must be in [0, 1)");
        Require(double.IsFinite(c.Beta2) && c.Beta2 >= 0 && c.Beta2 < 1, "--beta2", c.Beta2, "must be in [0, 1)");
        Require(double.IsFinite(c.WeightDecay) && c.WeightDecay >= 0, "--weight-decay", c.WeightDecay, "must be a finite number ≥ 0");
        Require(double.IsFinite(c.ZLoss) && c.ZLoss >= 0, "--z-loss", c.ZLoss, "must be a finite number ≥ 0 (the paper uses 1e-4)");
        Require(Positive(c.ClipNorm), "--clip", c.ClipNorm, "must be a positive finite number (the paper clips at 1)");
        Require(double.IsFinite(c.MuLoss) && c.MuLoss >= 0, "--mu-loss", c.MuLoss, "must be a finite number ≥ 0 (the study uses 1e-4)");
        Require(double.IsFinite(m.LogitSoftcap) && m.LogitSoftcap >= 0, "--logit-softcap", m.LogitSoftcap, "must be 0 (off) or a positive cap such as 30");
        Require(!(m.Precision == Precision.Bf16 && m.Matmul == MatmulPrecision.Bf16), "--precision", "bf16",
            "has no effect with --matmul bf16, whose head and logits are already bfloat16; drop --precision bf16");
        Require(!(c.MuCentering && m.TieHead), "--mu-centering", "on", "needs an untied head (--tie-head off): centering a tied head would shift the input embeddings too");
        Require(c.ProbeEvery >= 1, "--probe-every", c.ProbeEvery, "must be at least 1");
        Require(c.EvalEvery >= 0, "--eval-every", c.EvalEvery, "must be 0 (start and end only) or a positive step count");
        Require(c.EvalBatches >= 1, "--eval-batches", c.EvalBatches, "must be at least 1");
        if (errors.Count == 0 && MemoryEstimate.Of(c, Data.Vocabularies.KnownSize(c.Vocab)) is var memory && memory.Total > MemoryEstimate.Available)
        {
            // Name the flag behind the largest part, so the message says what to shrink.
            var (flag, value) = memory.Logits >= Math.Max(memory.Parameters, memory.Activations) ? ("--vocab", c.Vocab)
                : memory.Parameters >= memory.Activations ? ("--width", Format(m.Width))
                : ("--batch-size", Format(c.BatchSize));
            errors.Add(new ConfigError(flag, value, $"this run needs {memory}, more than the {MemoryEstimate.Gb(MemoryEstimate.Available)} " +
                "this machine has: shrink --width, --depth, --batch-size, --seq-len or the vocabulary"));
        }
        if (c.Data is not null)
        {
            if (!File.Exists(c.Data)) errors.Add(new ConfigError("--data", c.Data, "file does not exist; give a .txt, .jsonl or .gz text file"));
            else if (new FileInfo(c.Data).Length == 0) errors.Add(new ConfigError("--data", c.Data, "file is empty; give a file with text in it"));
        }
        return errors;
    }

    /// <summary>Throws <see cref="InvalidConfigException"/> listing every error.</summary>
    public static void Ensure(TrainConfig c)
    {
        var errors = Check(c);
        if (errors.Count > 0) throw new InvalidConfigException(errors);
    }

    static bool Positive(double x) => double.IsFinite(x) && x > 0;

    static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
