namespace Proxies.Probes;

/// <summary>
/// Per-step probes of one run, one row per probed step, each row the named values of that step. The columns are the
/// names in the order they first appear; a value a row did not take is NaN (eval_loss, say, between evaluations).
/// </summary>
public sealed class Curve
{
    readonly List<string> columns = new();
    readonly HashSet<string> known = new();
    readonly List<Dictionary<string, double>> rows = new();

    public Curve() { }

    /// <summary>An empty curve whose columns come first, in this order (a file's header).</summary>
    public Curve(IEnumerable<string> columns)
    {
        foreach (var c in columns) AddColumn(c);
    }

    public IReadOnlyList<string> Columns => columns;

    public int Count => rows.Count;

    /// <summary>The rows as taken: a value a row did not take is absent, not NaN (a checkpoint keeps them so).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> Rows => rows;

    public void Add(IReadOnlyDictionary<string, double> values)
    {
        foreach (var name in values.Keys) AddColumn(name);
        rows.Add(new Dictionary<string, double>(values));
    }

    /// <summary>Sets one value of the last row (the final held-out loss, measured after the last step).</summary>
    public void SetLast(string name, double value)
    {
        AddColumn(name);
        rows[^1][name] = value;
    }

    public bool Has(string name) => known.Contains(name);

    public IEnumerable<double> Values(string name)
    {
        if (!known.Contains(name)) throw new KeyNotFoundException($"no curve column '{name}'");
        return rows.Select(r => r.TryGetValue(name, out var v) ? v : double.NaN);
    }

    /// <summary>(step, value) of every row whose <paramref name="name"/> is finite, in row order.</summary>
    public IEnumerable<(double Step, double Value)> FinitePoints(string name) =>
        Values("step").Zip(Values(name)).Where(p => double.IsFinite(p.Second));

    /// <summary>The values of the rows that took <paramref name="name"/> (a row written at a divergence between probes
    /// holds only the loss and gradient norm).</summary>
    public IEnumerable<double> Taken(string name) => rows.Where(r => r.ContainsKey(name)).Select(r => r[name]);

    /// <summary>The rows as arrays in <see cref="Columns"/> order.</summary>
    public IEnumerable<double[]> Table() => rows.Select(r => columns.Select(c => r.TryGetValue(c, out var v) ? v : double.NaN).ToArray());

    void AddColumn(string name)
    {
        if (known.Add(name)) columns.Add(name);
    }
}
