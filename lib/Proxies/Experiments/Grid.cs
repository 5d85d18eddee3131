using System.Globalization;
using Proxies.Training;

namespace Proxies.Experiments;

/// <summary>
/// A grid declared where it is used, in a notebook cell or a script: a base config and axes, each a config switch
/// (its command-line flag, <see cref="ConfigSwitches"/>) and the values it takes; every combination is one run, its
/// variant label the axes' values ("lr 0.01, width 32"). It sweeps like a catalogue experiment: resumed, in worker
/// processes, with the notebook's numerics and data, into a folder of its own name.
/// </summary>
public static class Grid
{
    /// <example><c>Grid.Of("lr-width", "2 LRs × 2 widths", ladder.Base(ladder.Sizes[0], 1e-2), ("--lr", [1e-2, 0.3]), ("--width", [32, 64]))</c></example>
    public static Experiment Of(string name, string description, TrainConfig baseConfig, params (string Flag, object[] Values)[] axes)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny([.. Path.GetInvalidFileNameChars(), ' ']) >= 0)
            throw new ArgumentException($"grid name \"{name}\": it names the results folder, so use letters, digits and dashes (e.g. my-lr-grid)");
        var switches = axes.Select(a => ConfigSwitches.All.SingleOrDefault(s => s.Flag == a.Flag)
            ?? throw new ArgumentException($"grid axis \"{a.Flag}\" is not a config switch; use one of {string.Join(" ", ConfigSwitches.All.Select(s => s.Flag))}")).ToList();
        foreach (var a in axes.Where(a => a.Values.Length == 0)) throw new ArgumentException($"grid axis {a.Flag} has no values");

        IEnumerable<(TrainConfig Config, List<string> Labels)> runs = [(baseConfig, new List<string>())];
        foreach (var (axis, @switch) in axes.Zip(switches))
            runs = runs.SelectMany(r => axis.Values.Select(value =>
            {
                var word = Word(value);
                try { return (@switch.Set(r.Config, word), r.Labels.Append($"{@switch.Flag.TrimStart('-')} {word}").ToList()); }
                catch (FormatException e) { throw new ArgumentException($"grid axis {axis.Flag} {word}: {e.Message}", e); }
            }));
        var grid = runs.Select(r => r.Config with { Variant = string.Join(", ", r.Labels) }).ToList();
        return new Experiment(name, description, _ => grid);
    }

    /// <summary>A value as the switch reads it: numbers in invariant culture, round-trip exact.</summary>
    static string Word(object value) => value switch
    {
        double d => ConfigSwitch.Format(d),
        float f => ConfigSwitch.Format(f),
        Enum e => e.ToString().ToLowerInvariant(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        bool b => b ? "on" : "off",
        _ => value.ToString() ?? "",
    };
}
