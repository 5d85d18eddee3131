using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Proxies.Notebooks;

/// <summary>
/// Whether a committed gallery page still says what its notebook prints from the committed results: the page's text
/// (prose, printed lines, tables) and each figure's plotted data, compared as data rather than bytes. A number may
/// differ by one unit in its last printed digit (a live computation on another CPU can round the other way); a number
/// followed by a unit of time (s, ms, min, h) is how long something took, not a result, and is not compared.
/// </summary>
public static partial class GalleryCheck
{
    /// <summary>The first difference between two renderings of a page, or null when they agree.</summary>
    public static string? CompareText(string committed, string fresh)
    {
        var a = committed.Split('\n');
        var b = fresh.Split('\n');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var (x, y) = (i < a.Length ? a[i] : "(end of page)", i < b.Length ? b[i] : "(end of page)");
            if (!SameLine(x, y)) return $"line {i + 1}: committed \"{Around(x, y)}\", now \"{Around(y, x)}\"";
        }
        return null;
    }

    /// <summary>The first difference between two figures' plotly.js JSON, or null: structure and strings exactly,
    /// numbers to a relative 1e-5 (plotted data is not rounded for print). Figures read from committed results agree
    /// exactly; a figure trained live when the page renders (the coordinate check, the κ transplant) moves with the
    /// float32 rounding of the CPU and GEMM library: 1.0e-6 and 1.1e-6 between libtorch's MKL and OpenBLAS.</summary>
    public static string? CompareFigure(string committedJson, string freshJson) =>
        CompareNode(JsonNode.Parse(committedJson), JsonNode.Parse(freshJson), "$");

    static string? CompareNode(JsonNode? a, JsonNode? b, string path)
    {
        switch (a, b)
        {
            case (null, null): return null;
            case (JsonObject x, JsonObject y):
                foreach (var key in x.Select(p => p.Key).Union(y.Select(p => p.Key)))
                    if (CompareNode(x[key], y[key], $"{path}.{key}") is { } d) return d;
                return null;
            case (JsonArray x, JsonArray y):
                if (x.Count != y.Count) return $"{path}: {x.Count} values committed, {y.Count} now";
                for (int i = 0; i < x.Count; i++)
                    if (CompareNode(x[i], y[i], $"{path}[{i}]") is { } d) return d;
                return null;
            case (JsonValue x, JsonValue y) when x.TryGetValue(out double p) && y.TryGetValue(out double q):
                return Math.Abs(p - q) <= 1e-5 * Math.Max(1e-12, Math.Max(Math.Abs(p), Math.Abs(q))) ? null : $"{path}: {p:R} committed, {q:R} now";
            default:
                return a?.ToJsonString() == b?.ToJsonString() ? null : $"{path}: {a?.ToJsonString() ?? "null"} committed, {b?.ToJsonString() ?? "null"} now";
        }
    }

    static bool SameLine(string a, string b)
    {
        var (na, nb) = (Number().Matches(a), Number().Matches(b));
        if (na.Count != nb.Count || Number().Replace(a, "#") != Number().Replace(b, "#")) return false;
        for (int i = 0; i < na.Count; i++)
        {
            if (na[i].Value == nb[i].Value || na[i].Groups["time"].Success) continue;
            if (!SameNumber(na[i].Groups["n"].Value, nb[i].Groups["n"].Value)) return false;
        }
        return true;
    }

    /// <summary>Equal to within one unit of the last printed digit of the less precise of the two.</summary>
    public static bool SameNumber(string a, string b)
    {
        if (!double.TryParse(a.Replace(",", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
            || !double.TryParse(b.Replace(",", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var y)) return a == b;
        return Math.Abs(x - y) <= Math.Max(LastDigit(a), LastDigit(b)) * (1 + 1e-9);
    }

    static double LastDigit(string number)
    {
        var m = Regex.Match(number, @"^[-+]?[\d,]*(?:\.(?<f>\d+))?(?:[eE](?<e>[-+]?\d+))?$");
        int decimals = m.Groups["f"].Length;
        int exponent = m.Groups["e"].Success ? int.Parse(m.Groups["e"].Value, CultureInfo.InvariantCulture) : 0;
        return Math.Pow(10, exponent - decimals);
    }

    /// <summary>The part of <paramref name="line"/> around its first character that differs from <paramref name="other"/>
    /// (a table is one long line).</summary>
    static string Around(string line, string other)
    {
        int at = 0;
        while (at < line.Length && at < other.Length && line[at] == other[at]) at++;
        int from = Math.Max(0, at - 60), to = Math.Min(line.Length, at + 60);
        return (from > 0 ? "..." : "") + line[from..to] + (to < line.Length ? "..." : "");
    }

    // A number as printed (digit groups, decimals, exponent), and whether a unit of time follows it.
    [GeneratedRegex(@"(?<n>[-+]?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?)(?<time>\s?(?:s|ms|min|h)\b)?")]
    private static partial Regex Number();
}
