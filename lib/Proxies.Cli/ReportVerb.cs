using System.Globalization;
using Proxies.Experiments;
using Proxies.Results;

namespace Proxies.Cli;

/// <summary>`report DIR`: per experiment, final loss by LR and variant, and LR sensitivity by size and variant.</summary>
public static class ReportVerb
{
    public static int Run(string[] args)
    {
        var cl = new CommandLine(args, new HashSet<string>());
        string? only = cl.String("--experiment");
        cl.RejectUnknown("report");
        if (cl.Positional.Count != 1) throw new UsageException("report needs one results folder, e.g. `report runs`");
        var root = cl.Positional[0];
        if (!Directory.Exists(root)) throw new UsageException($"report {root}: no such folder");
        var folders = Directory.GetDirectories(root).Where(d => File.Exists(Path.Combine(d, "runs.csv")))
            .Where(d => only is null || Path.GetFileName(d) == only).OrderBy(d => d, StringComparer.Ordinal).ToList();
        if (folders.Count == 0) throw new UsageException($"report {root}: no <experiment>/runs.csv below it");
        foreach (var folder in folders) Print(Path.GetFileName(folder), new ResultsStore(root, Path.GetFileName(folder)).Runs());
        return 0;
    }

    static string F(double x, string format = "F3") => double.IsFinite(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "-";

    public static void Print(string experiment, IReadOnlyList<Training.RunResult> runs)
    {
        Console.WriteLine($"== {experiment}: {runs.Count} runs");
        var losses = Analysis.FinalLossByLr(runs);
        var columns = losses.Select(x => (x.Variant, x.Width, x.Depth)).Distinct().ToList();
        var lrs = losses.Select(x => x.Lr).Distinct().OrderBy(x => x).ToList();
        Console.WriteLine("final eval loss (diverged runs clipped to the initial loss, marked *), mean over seeds");
        Console.WriteLine($"{"lr",-8}" + string.Concat(columns.Select(c => $"{$"{c.Variant} {c.Width}×{c.Depth}",18}")));
        foreach (var lr in lrs)
            Console.WriteLine($"{lr,-8:G2}" + string.Concat(columns.Select(c =>
            {
                var cell = losses.FirstOrDefault(x => x.Variant == c.Variant && x.Width == c.Width && x.Depth == c.Depth && x.Lr == lr);
                return cell.Variant is null ? $"{"",18}" : $"{F(cell.Loss) + (cell.Diverged > 0 ? "*" : " "),18}";
            })));
        Console.WriteLine("LR sensitivity by size (mean over seeds [min, max])");
        Console.WriteLine($"{"variant",-14}{"width",6}{"depth",6}{"params",10}{"seeds",6}{"LRsens",9}{"range",18}{"best loss",10}{"at lr",8}");
        foreach (var r in Analysis.LrSensitivityBySize(runs))
            Console.WriteLine($"{r.Variant,-14}{r.Width,6}{r.Depth,6}{r.Params,10}{r.Seeds,6}{F(r.LrSens),9}{"[" + F(r.Min) + ", " + F(r.Max) + "]",18}{F(r.BestLoss),10}{F(r.BestLr, "G2"),8}");
        Console.WriteLine();
    }
}
