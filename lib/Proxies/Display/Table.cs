using System.Globalization;
using System.Net;
using System.Text;
using Deedle;

namespace Proxies.Display;

/// <summary>
/// A table for a notebook, held as a Deedle frame (<see cref="Frame"/>: a row per line, a column per header, in order),
/// so a cell can filter, sort or pivot it before showing it. Shown as HTML in a notebook, as aligned text everywhere
/// else, with numbers formatted one way (<see cref="Format"/>); a missing value or NaN shows as "-".
/// </summary>
public sealed class Table(string title, Frame<int, string> frame) : IRichOutput
{
    public string Title => title;

    /// <summary>The table's values: numbers as the doubles and integers they were given as, text as strings.</summary>
    public Frame<int, string> Frame => frame;

    /// <summary>A table of <paramref name="items"/>, one row each, a column per (header, value of an item).</summary>
    public static Table Of<T>(string title, IEnumerable<T> items, params (string Header, Func<T, object?> Value)[] columns)
    {
        if (columns.GroupBy(c => c.Header).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"table \"{title}\": the column \"{twice.Key}\" is named twice; a frame's columns need distinct names");
        var rows = items.ToList();
        var keys = Enumerable.Range(0, rows.Count).ToArray();
        return new Table(title, Deedle.Frame.FromColumns(columns.Select(c =>
            KeyValuePair.Create(c.Header, new Series<int, object>(keys, rows.Select(c.Value).ToArray()!)))));
    }

    /// <summary>A table from rows of cells, a column per header in order (a row shorter than the headers is missing the rest).</summary>
    public static Table FromRows(string title, IReadOnlyList<string> headers, IEnumerable<IEnumerable<object?>> rows) =>
        Of(title, rows.Select(r => r.ToArray()), headers.Select((h, j) => (h, (Func<object?[], object?>)(row => j < row.Length ? row[j] : null))).ToArray());

    /// <summary>Any frame as a table: its row keys as a first, untitled column unless they are just 0, 1, 2, ….</summary>
    public static Table Of<TRow, TColumn>(string title, Frame<TRow, TColumn> frame) where TRow : notnull where TColumn : notnull
    {
        var rowKeys = frame.RowKeys.ToList();
        bool counted = rowKeys.Select((k, i) => k is int n && n == i).All(b => b);
        var columns = frame.ColumnKeys.Select(c => (Header: Convert.ToString(c, CultureInfo.InvariantCulture) ?? "",
            Values: frame.GetColumn<object>(c))).ToList();
        var cells = Enumerable.Range(0, rowKeys.Count).Select(i =>
            (counted ? [] : new object?[] { rowKeys[i] }).Concat(columns.Select(c => c.Values.TryGet(rowKeys[i]) is { HasValue: true } v ? v.Value : null)).ToArray()).ToList();
        return FromRows(title, (counted ? [] : new[] { "" }).Concat(columns.Select(c => c.Header)).ToList(), cells);
    }

    /// <summary>How a table writes a number: three decimals, or three significant digits in E notation outside
    /// [1e-3, 1e4).</summary>
    public static string Format(double x) =>
        x.ToString(Math.Abs(x) >= 1e4 || (Math.Abs(x) < 1e-3 && x != 0) ? "0.00E+0" : "0.000", CultureInfo.InvariantCulture);

    static string Cell(object? value) => value switch
    {
        null => "-",
        double d when double.IsNaN(d) => "-",
        double d => Format(d),
        float f => Cell((double)f),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    IReadOnlyList<string> Headers => frame.ColumnKeys.ToList();

    IEnumerable<IReadOnlyList<string>> Cells()
    {
        var columns = frame.ColumnKeys.Select(c => frame.GetColumn<object>(c)).ToList();
        return frame.RowKeys.Select(r => (IReadOnlyList<string>)columns.Select(c => Cell(c.TryGet(r) is { HasValue: true } v ? v.Value : null)).ToList());
    }

    public void Show() => NotebookOutput.Publish(Bundle());

    public IReadOnlyDictionary<string, string> Bundle() => new Dictionary<string, string>
    {
        ["text/html"] = Html(),
        ["text/plain"] = ToString(),
    };

    public string Html()
    {
        var html = new StringBuilder($"<table><caption>{WebUtility.HtmlEncode(title)}</caption><thead><tr>");
        foreach (var h in Headers) html.Append("<th>").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in Cells())
        {
            html.Append("<tr>");
            foreach (var c in row) html.Append("<td>").Append(WebUtility.HtmlEncode(c)).Append("</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    public override string ToString()
    {
        var cells = Cells().Prepend(Headers).ToList();
        var widths = Enumerable.Range(0, Headers.Count).Select(i => cells.Max(r => i < r.Count ? r[i].Length : 0)).ToList();
        var text = new StringBuilder(title).Append('\n');
        foreach (var row in cells)
            text.Append(string.Join("  ", row.Select((c, i) => c.PadLeft(widths[i])))).Append('\n');
        return text.ToString();
    }
}
