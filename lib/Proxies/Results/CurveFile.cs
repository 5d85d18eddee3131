using System.Text;
using Proxies.Probes;
using Proxies.Runtime;

namespace Proxies.Results;

/// <summary>curves/&lt;run_id&gt;.csv: one row per probed step, written atomically.</summary>
public static class CurveFile
{
    public static void Write(string path, Curve curve)
    {
        var text = new StringBuilder();
        text.Append(Csv.Line(curve.Columns)).Append('\n');
        foreach (var row in curve.Table()) text.Append(string.Join(",", row.Select(Csv.Format))).Append('\n');
        AtomicFile.WriteAllText(path, text.ToString());
    }

    public static Curve Read(string path)
    {
        try
        {
            var rows = Csv.Parse(File.ReadAllText(path));
            if (rows.Count == 0) throw new FormatException("it is empty");
            var header = rows[0];
            var curve = new Curve(header);
            foreach (var (fields, line) in rows.Skip(1).Select((f, i) => (f, i + 2)))
            {
                if (fields.Count != header.Count)
                    throw new FormatException($"line {line} has {fields.Count} fields, the header has {header.Count} (a torn or hand-edited row)");
                curve.Add(header.Select((name, i) => (name, Csv.ParseDouble(fields[i]))).ToDictionary(p => p.name, p => p.Item2));
            }
            return curve;
        }
        catch (FormatException e) { throw new ResultsFileException(path, e.Message); }
    }
}
