namespace Proxies.Figures;

/// <summary>
/// The size a figure is drawn at, in CSS pixels (1/96 inch: a PDF page of this size is Width/96 inches wide), with the
/// font size that stays readable at that size. Narrow sizes put the legend under the plot, where it does not take width,
/// and the paper sizes (column, page) draw no title: a paper's caption carries it.
/// </summary>
public sealed record FigureSize(string Name, int Width, int Height, int FontSize, bool Titled)
{
    /// <summary>Notebooks and screens: 900 × 500, 12 px text (plotly.js's default). Its PNG is rendered at 2×
    /// (1800 × 1000) for slides.</summary>
    public static readonly FigureSize Screen = new("screen", 900, 500, 12, Titled: true);

    /// <summary>One column of a two-column paper (3.3 in, 238 pt): 317 × 240, 10 px (7.5 pt) text. For a single panel.</summary>
    public static readonly FigureSize Column = new("column", 317, 240, 10, Titled: false);

    /// <summary>The text width of a two-column paper (6.9 in, 497 pt; LaTeX's figure*): 662 × 300, 10 px (7.5 pt)
    /// text. For side-by-side panels.</summary>
    public static readonly FigureSize Page = new("page", 662, 300, 10, Titled: false);

    public static IReadOnlyList<FigureSize> All { get; } = [Screen, Column, Page];

    /// <summary>The named size, or an error that lists the names.</summary>
    public static FigureSize Parse(string name) => All.FirstOrDefault(s => s.Name == name.Trim().ToLowerInvariant())
        ?? throw new ArgumentException($"unknown figure size '{name}': use {string.Join(", ", All.Select(s => s.Name))}");

    /// <summary>Too narrow for a legend beside the plot.</summary>
    public bool Narrow => Width < 700;

    /// <summary>CSS pixels in PostScript points (1/72 in), as a PDF page states its size.</summary>
    public static double ToPoints(int pixels) => pixels * 0.75;
}
