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

/// <summary>Checks a <see cref="TrainConfig"/> before a run starts: every switch's own rule (<see cref="ConfigSwitches"/>), then
/// whether the run fits in this machine's memory. Messages name the CLI flag, the value and what is allowed.</summary>
public static class ConfigValidation
{
    /// <summary>Every switch's own rule: what a config must be to run anywhere.</summary>
    public static IReadOnlyList<ConfigError> Check(TrainConfig c) =>
        ConfigSwitches.All.Select(s => s.Check(c) is { } allowed ? new ConfigError(s.Flag, s.Show(c), allowed) : null).OfType<ConfigError>().ToList();

    /// <summary>Null when the run fits in this machine's memory (<see cref="MemoryEstimate"/>), else the refusal, naming the
    /// flag behind the largest part so that the message says what to shrink.</summary>
    public static ConfigError? Fits(TrainConfig c)
    {
        var memory = MemoryEstimate.Of(c, Data.Vocabularies.KnownSize(c.Vocab));
        if (memory.Total <= MemoryEstimate.Available) return null;
        var (flag, value) = memory.Logits >= Math.Max(memory.Parameters, memory.Activations) ? ("--vocab", c.Vocab)
            : memory.Parameters >= memory.Activations ? ("--width", Format(c.Model.Width))
            : ("--batch-size", Format(c.BatchSize));
        return new ConfigError(flag, value, $"this run needs {memory}, more than the {MemoryEstimate.Gb(MemoryEstimate.Available)} " +
            "this machine has: shrink --width, --depth, --batch-size, --seq-len or the vocabulary");
    }

    /// <summary>Throws <see cref="InvalidConfigException"/> listing every broken rule (a plan, which may run elsewhere).</summary>
    public static void EnsureRules(TrainConfig c)
    {
        var errors = Check(c);
        if (errors.Count > 0) throw new InvalidConfigException(errors);
    }

    /// <summary>Throws <see cref="InvalidConfigException"/> unless the run can start here: its rules, then its memory.</summary>
    public static void Ensure(TrainConfig c)
    {
        EnsureRules(c);
        if (Fits(c) is { } error) throw new InvalidConfigException([error]);
    }


    static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
