namespace Proxies.Figures;

/// <summary>Colours for model sizes, so that one size has the same colour in every figure of the workbook.</summary>
public static class Palette
{
    // Okabe–Ito colour-blind-safe palette, yellow dropped (unreadable as a thin line on white) and black moved last.
    private static readonly string[] Colours =
    [
        "#0072B2", // blue
        "#D55E00", // vermillion
        "#009E73", // bluish green
        "#CC79A7", // reddish purple
        "#E69F00", // orange
        "#56B4E9", // sky blue
        "#000000", // black
    ];

    /// <summary>Colour for the model size at <paramref name="index"/> (0 = smallest); repeats after <see cref="Count"/> sizes.</summary>
    public static string ColourFor(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return Colours[index % Colours.Length];
    }

    /// <summary>Number of distinct colours before <see cref="ColourFor"/> repeats.</summary>
    public static int Count => Colours.Length;
}
