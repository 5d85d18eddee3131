namespace Proxies.Figures;

/// <summary>One named curve y(x) of a panel.</summary>
/// <param name="Colour">CSS colour, e.g. from <see cref="Palette.ColourFor"/>; the same colour in every panel keeps a model size recognisable.</param>
/// <param name="Markers">Draw a marker at each point as well as the line (useful for sparse sweeps such as one point per model size).</param>
/// <param name="MarkersOnly">Draw the markers without the line (events such as loss spikes, over a curve).</param>
/// <param name="Hollow">Open markers: points that play another part than the filled ones of the same colour (held out of a fit).</param>
/// <remarks>With <see cref="Band"/> set, a shaded band from its low to its high values is drawn under the line (the
/// spread over seeds of a mean).</remarks>
public sealed record Series(
    string Name,
    IReadOnlyList<double> X,
    IReadOnlyList<double> Y,
    string Colour,
    LineDash Dash = LineDash.Solid,
    bool Markers = false,
    bool MarkersOnly = false,
    bool Hollow = false)
{
    // Checked here so that a length mismatch fails where the series is built, not silently inside plotly.js.
    public IReadOnlyList<double> X { get; } = X.Count == Y.Count
        ? X
        : throw new ArgumentException($"Series '{Name}': {X.Count} x values but {Y.Count} y values.");

    /// <summary>A band's low and high value at each x, or null for none.</summary>
    public (IReadOnlyList<double> Low, IReadOnlyList<double> High)? Band
    {
        get => band;
        init => band = value is not { } b || (b.Low.Count == X.Count && b.High.Count == X.Count) ? value
            : throw new ArgumentException($"Series '{Name}': {X.Count} x values but a band of {b.Low.Count} and {b.High.Count}.");
    }

    readonly (IReadOnlyList<double> Low, IReadOnlyList<double> High)? band;
}
