using System.Globalization;
using System.Net;
using System.Text;

namespace Proxies.Notebooks;

/// <summary>A small table for a notebook: HTML for the notebook, aligned text everywhere else.</summary>
public sealed class Table(string title, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<object>> rows) : IRichOutput
{
    public string Title => title;
    public IReadOnlyList<IReadOnlyList<object>> Rows => rows;

    static string Cell(object value) => value switch
    {
        double d when double.IsNaN(d) => "-",
        double d => d.ToString(Math.Abs(d) >= 1e4 || (Math.Abs(d) < 1e-3 && d != 0) ? "0.00E+0" : "0.000", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    public void Show() => NotebookOutput.Publish(Bundle());

    public IReadOnlyDictionary<string, string> Bundle() => new Dictionary<string, string>
    {
        ["text/html"] = Html(),
        ["text/plain"] = ToString(),
    };

    public string Html()
    {
        var html = new StringBuilder($"<table><caption>{WebUtility.HtmlEncode(title)}</caption><thead><tr>");
        foreach (var h in header) html.Append("<th>").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var v in row) html.Append("<td>").Append(WebUtility.HtmlEncode(Cell(v))).Append("</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    public override string ToString()
    {
        var cells = rows.Select(r => r.Select(Cell).ToList()).Prepend(header.ToList()).ToList();
        var widths = Enumerable.Range(0, header.Count).Select(i => cells.Max(r => i < r.Count ? r[i].Length : 0)).ToList();
        var text = new StringBuilder(title).Append('\n');
        foreach (var row in cells)
            text.Append(string.Join("  ", row.Select((c, i) => c.PadLeft(widths[i])))).Append('\n');
        return text.ToString();
    }
}
