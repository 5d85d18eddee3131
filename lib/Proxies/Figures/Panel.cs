namespace Proxies.Figures;

/// <summary>One set of axes with its series (and at most one heatmap under them). A figure is one panel, or several side by side.</summary>
/// <param name="Title">Shown above the panel when it is part of a multi-panel figure; ignored for a single panel (the figure title is used).</param>
/// <remarks>On a log axis plotly silently drops points that are zero or negative, so clamp or filter them before plotting.</remarks>
public sealed record Panel(
    string XTitle,
    string YTitle,
    IReadOnlyList<Series> Series,
    bool LogX = false,
    bool LogY = false,
    string? Title = null,
    Heatmap? Map = null);
