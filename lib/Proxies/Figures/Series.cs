namespace Proxies.Figures;

/// <summary>One named curve y(x) of a panel.</summary>
/// <param name="Colour">CSS colour, e.g. from <see cref="Palette.ColourFor"/>; the same colour in every panel keeps a model size recognisable.</param>
/// <param name="Markers">Draw a marker at each point as well as the line (useful for sparse sweeps such as one point per model size).</param>
/// <param name="MarkersOnly">Draw the markers without the line (events such as loss spikes, over a curve).</param>
public sealed record Series(
    string Name,
    IReadOnlyList<double> X,
    IReadOnlyList<double> Y,
    string Colour,
    LineDash Dash = LineDash.Solid,
    bool Markers = false,
    bool MarkersOnly = false)
{
    // Checked here so that a length mismatch fails where the series is built, not silently inside plotly.js.
    public IReadOnlyList<double> X { get; } = X.Count == Y.Count
        ? X
        : throw new ArgumentException($"Series '{Name}': {X.Count} x values but {Y.Count} y values.");
}
