using System.Text;
using Proxies.Probes;

namespace Proxies.Results;

/// <summary>curves/&lt;run_id&gt;.csv: one row per probed step, written atomically.</summary>
public static class CurveFile
{
    public static void Write(string path, Curve curve)
    {
        var text = new StringBuilder();
        text.Append(Csv.Line(curve.Columns)).Append('\n');
        foreach (var row in curve.Rows) text.Append(string.Join(",", row.Select(Csv.Format))).Append('\n');
        AtomicFile.WriteAllText(path, text.ToString());
    }

    public static Curve Read(string path)
    {
        try
        {
            var rows = Csv.Parse(File.ReadAllText(path));
            if (rows.Count == 0) throw new FormatException("it is empty");
            var curve = new Curve(rows[0]);
            foreach (var (fields, line) in rows.Skip(1).Select((f, i) => (f, i + 2)))
            {
                if (fields.Count != curve.Columns.Count)
                    throw new FormatException($"line {line} has {fields.Count} fields, the header has {curve.Columns.Count} (a torn or hand-edited row)");
                var row = curve.NewRow();
                for (int i = 0; i < fields.Count; i++) row[i] = Csv.ParseDouble(fields[i]);
            }
            return curve;
        }
        catch (FormatException e) { throw new ResultsFileException(path, e.Message); }
    }
}
