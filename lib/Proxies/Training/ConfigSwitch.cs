using System.Globalization;

namespace Proxies.Training;

/// <summary>
/// One switch of a run's config, declared once: its command-line flag, its runs.csv column, its help, how its value is
/// read from a word and written back, and what values it allows. The train verb's parser and help, the config
/// validation and runs.csv's config columns are all made from <see cref="ConfigSwitches.All"/>.
/// </summary>
/// <param name="Flag">e.g. --lr</param>
/// <param name="Column">its runs.csv column, e.g. lr</param>
/// <param name="Hint">the value's form in the help, e.g. X, N, on|off</param>
/// <param name="Help">what it is, for the help</param>
/// <param name="Show">its value in a config, as written in runs.csv and read back by <paramref name="Set"/></param>
/// <param name="Set">the config with the switch set from a word; throws <see cref="FormatException"/> saying what is allowed</param>
/// <param name="Check">null when the config's value is allowed, else what is allowed (it may relate to other switches)</param>
public sealed record ConfigSwitch(
    string Flag, string Column, string Hint, string Help,
    Func<TrainConfig, string> Show,
    Func<TrainConfig, string, TrainConfig> Set,
    Func<TrainConfig, string?> Check)
{
    static readonly Func<TrainConfig, string?> Anything = _ => null;

    public static ConfigSwitch Int(string flag, string column, string help, Func<TrainConfig, int> get,
        Func<TrainConfig, int, TrainConfig> set, Func<TrainConfig, int, string?>? check = null) =>
        new(flag, column, "N", help, c => get(c).ToString(CultureInfo.InvariantCulture),
            (c, word) => int.TryParse(word, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? set(c, v)
                : throw new FormatException("must be an integer"),
            check is null ? Anything : c => check(c, get(c)));

    public static ConfigSwitch Number(string flag, string column, string help, Func<TrainConfig, double> get,
        Func<TrainConfig, double, TrainConfig> set, Func<TrainConfig, double, string?>? check = null) =>
        new(flag, column, "X", help, c => Format(get(c)),
            (c, word) => double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? set(c, v)
                : throw new FormatException("must be a finite number (e.g. 1e-3)"),
            check is null ? Anything : c => check(c, get(c)));

    public static ConfigSwitch Choice<T>(string flag, string column, string help, Func<TrainConfig, T> get,
        Func<TrainConfig, T, TrainConfig> set, params (string Word, T Value)[] choices) where T : notnull =>
        Choice(flag, column, help, get, set, null, choices);

    public static ConfigSwitch Choice<T>(string flag, string column, string help, Func<TrainConfig, T> get,
        Func<TrainConfig, T, TrainConfig> set, Func<TrainConfig, T, string?>? check, params (string Word, T Value)[] choices) where T : notnull =>
        new(flag, column, string.Join("|", choices.Select(w => w.Word)), help,
            c => choices.First(w => EqualityComparer<T>.Default.Equals(w.Value, get(c))).Word,
            (c, word) => choices.Any(w => w.Word == word) ? set(c, choices.First(w => w.Word == word).Value)
                : throw new FormatException($"must be one of {string.Join(", ", choices.Select(w => w.Word))}"),
            check is null ? Anything : c => check(c, get(c)));

    public static ConfigSwitch OnOff(string flag, string column, string help, Func<TrainConfig, bool> get, Func<TrainConfig, bool, TrainConfig> set) =>
        Choice(flag, column, help, get, set, ("on", true), ("off", false));

    /// <summary>Every value of an enum, as its lower-case name.</summary>
    public static ConfigSwitch Enum<T>(string flag, string column, string help, Func<TrainConfig, T> get, Func<TrainConfig, T, TrainConfig> set,
        Func<TrainConfig, T, string?>? check = null) where T : struct, System.Enum =>
        Choice(flag, column, help, get, set, check, System.Enum.GetValues<T>().Select(v => (v.ToString().ToLowerInvariant(), v)).ToArray());

    public static ConfigSwitch Text(string flag, string column, string hint, string help, Func<TrainConfig, string?> get,
        Func<TrainConfig, string, TrainConfig> set, Func<TrainConfig, string, string?>? check = null) =>
        new(flag, column, hint, help, c => get(c) ?? "",
            set, check is null ? Anything : c => get(c) is { } v ? check(c, v) : null);

    public static string Format(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
