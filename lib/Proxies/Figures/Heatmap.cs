namespace Proxies.Figures;

/// <summary>
/// A grid of values drawn as colours: <see cref="Z"/>[row][column] at (<see cref="X"/>[column], <see cref="Rows"/>[row]),
/// e.g. a histogram (rows: bins) over training (columns: steps). Values are clamped to [<see cref="Min"/>, <see cref="Max"/>]
/// so that panels side by side share one colour scale.
/// </summary>
public sealed record Heatmap(string Name, IReadOnlyList<double> X, IReadOnlyList<string> Rows, IReadOnlyList<IReadOnlyList<double>> Z,
    string ColourTitle, double Min = 0, double Max = 1)
{
    // Checked here so that a ragged grid fails where it is built, not silently inside plotly.js.
    public IReadOnlyList<IReadOnlyList<double>> Z { get; } = Z.Count == Rows.Count && Z.All(row => row.Count == X.Count)
        ? Z
        : throw new ArgumentException($"Heatmap '{Name}': needs {Rows.Count} rows of {X.Count} values.");
}
