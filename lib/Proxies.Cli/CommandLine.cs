using System.Globalization;

namespace Proxies.Cli;

/// <summary>A command line that cannot be run: exit code 2, nothing written.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// `--flag value` options of one verb. Every flag must be known to the verb; each value is parsed with a
/// message that names the flag, the value and what is allowed.
/// </summary>
public sealed class CommandLine
{
    readonly Dictionary<string, string> values = new();
    readonly HashSet<string> used = new();
    public List<string> Positional { get; } = new();

    public CommandLine(IEnumerable<string> args, IReadOnlySet<string> switches)
    {
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (!a.StartsWith("--")) { Positional.Add(a); continue; }
            var eq = a.IndexOf('=');
            string name = eq > 0 ? a[..eq] : a;
            string value;
            if (eq > 0) value = a[(eq + 1)..];
            else if (switches.Contains(name)) value = "true";
            else if (i + 1 < list.Count) value = list[++i];
            else throw new UsageException($"{name} needs a value");
            if (!values.TryAdd(name, value)) throw new UsageException($"{name} is given twice");
        }
    }

    public bool Has(string flag) { used.Add(flag); return values.ContainsKey(flag); }

    public string? String(string flag) { used.Add(flag); return values.GetValueOrDefault(flag); }

    public int Int(string flag, int fallback)
    {
        var s = String(flag);
        if (s is null) return fallback;
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            throw new UsageException($"{flag} {s}: must be an integer");
        return v;
    }

    public double Double(string flag, double fallback)
    {
        var s = String(flag);
        if (s is null) return fallback;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            throw new UsageException($"{flag} {s}: must be a number (e.g. 1e-3)");
        if (!double.IsFinite(v)) throw new UsageException($"{flag} {s}: must be a finite number");
        return v;
    }

    public T Choice<T>(string flag, T fallback, params (string Word, T Value)[] choices)
    {
        var s = String(flag);
        if (s is null) return fallback;
        foreach (var (word, value) in choices) if (word == s) return value;
        throw new UsageException($"{flag} {s}: must be one of {string.Join(", ", choices.Select(c => c.Word))}");
    }

    public bool OnOff(string flag, bool fallback) => Choice(flag, fallback, ("on", true), ("off", false));

    /// <summary>Refuses flags the verb did not read (typos, flags of another verb).</summary>
    public void RejectUnknown(string verb)
    {
        var unknown = values.Keys.Where(k => !used.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new UsageException($"unknown option{(unknown.Count > 1 ? "s" : "")} for '{verb}': {string.Join(", ", unknown)} (see `{verb} --help`)");
    }
}
