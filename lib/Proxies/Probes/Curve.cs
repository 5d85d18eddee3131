namespace Proxies.Probes;

/// <summary>Per-step probes of one run: fixed columns, one row per probed step (NaN where a value was not taken).</summary>
public sealed class Curve
{
    public IReadOnlyList<string> Columns { get; }
    public List<double[]> Rows { get; } = new();
    readonly Dictionary<string, int> index;

    public Curve(IEnumerable<string> columns)
    {
        Columns = columns.ToList();
        index = Columns.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
    }

    public double[] NewRow()
    {
        var row = Enumerable.Repeat(double.NaN, Columns.Count).ToArray();
        Rows.Add(row);
        return row;
    }

    public int Column(string name) => index.TryGetValue(name, out var i) ? i : throw new KeyNotFoundException($"no curve column '{name}'");

    public IEnumerable<double> Values(string name)
    {
        int i = Column(name);
        return Rows.Select(r => r[i]);
    }
}
