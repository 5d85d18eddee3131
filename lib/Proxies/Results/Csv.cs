using System.Globalization;
using System.Text;

namespace Proxies.Results;

/// <summary>Plain RFC 4180 CSV, invariant culture, round-trip doubles; NaN and ±inf as NaN, inf, -inf.</summary>
public static class Csv
{
    public static string Format(double x) =>
        double.IsNaN(x) ? "NaN" : double.IsPositiveInfinity(x) ? "inf" : double.IsNegativeInfinity(x) ? "-inf"
        : x.ToString("R", CultureInfo.InvariantCulture);

    public static double ParseDouble(string s) => s switch
    {
        "" or "NaN" or "nan" => double.NaN,
        "inf" or "Infinity" => double.PositiveInfinity,
        "-inf" or "-Infinity" => double.NegativeInfinity,
        _ => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    public static string Quote(string field) =>
        field.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;

    public static string Line(IEnumerable<string> fields) => string.Join(",", fields.Select(Quote));

    /// <summary>Splits CSV text into rows of fields (quoted fields may hold commas, quotes and newlines).</summary>
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, any = false;
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else field.Append(ch);
                continue;
            }
            switch (ch)
            {
                case '"': quoted = true; any = true; break;
                case ',': row.Add(field.ToString()); field.Clear(); any = true; break;
                case '\r': break;
                case '\n': row.Add(field.ToString()); field.Clear(); rows.Add(row); row = new List<string>(); any = false; break;
                default: field.Append(ch); any = true; break;
            }
        }
        if (quoted) throw new FormatException("CSV ends inside a quoted field (the file is truncated)");
        if (any || field.Length > 0) { row.Add(field.ToString()); rows.Add(row); }
        return rows;
    }

    /// <summary>The rows of a CSV file with a header line, each as column → field.</summary>
    public static List<Dictionary<string, string>> ReadRecords(string path)
    {
        var rows = Parse(File.ReadAllText(path));
        if (rows.Count == 0) return [];
        var header = rows[0];
        return rows.Skip(1).Select(r => header.Select((h, i) => (h, v: i < r.Count ? r[i] : "")).ToDictionary(x => x.h, x => x.v)).ToList();
    }
}
