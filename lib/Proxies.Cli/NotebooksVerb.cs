using Proxies.Experiments;
using Proxies.Model;
using Proxies.Notebooks;
using Proxies.Sweeps;

namespace Proxies.Cli;

/// <summary>`notebooks [PATHS...]`: runs notebooks headless, writes the executed .ipynb files and their figures.</summary>
public static class NotebooksVerb
{
    public static string Help => $"""
        notebooks [PATHS...]: run notebooks headless in the .NET Interactive kernel (default: every notebooks/*.ipynb), in order.
          --out DIR (runs/notebooks)   --results DIR (the notebooks' ../results/<profile>, or <profile>-bf16)
        {SweepSettings.Help()}
          --export FORMAT:SIZE[,...]  also write every figure as pdf, svg or png at a size: screen (900 × 500 px), column
                              (one column of a two-column paper, 3.3 in) or page (its full text width, 6.9 in), e.g.
                              --export pdf:column,pdf:page  -> DIR/figures/<notebook>/<figure>-column.pdf
        The settings reach every notebook's sweeps (Workbook.Settings). Writes DIR/<notebook>.ipynb (executed, with
        outputs) and DIR/figures/<notebook>/ (HTML, JSON, PNG at 2×, SVG). Each notebook gets a fresh kernel
        (dotnet-interactive 1.0.712001, the workbook's local tool, restored on first use).
        Exits 1 naming the notebook, the cell and the error when a cell fails.
        """;

    public static int Run(string[] args)
    {
        var cl = new CommandLine(args, SweepVerb.Switches);
        var settings = SweepVerb.ReadSettings(cl).WithAbsoluteData();   // the kernel runs in notebooks/
        var profile = settings.Profile;
        var outDir = Path.GetFullPath(cl.String("--out") ?? Path.Combine("runs", "notebooks"));
        var results = cl.String("--results");
        var exports = cl.String("--export") ?? "";
        foreach (var spec in exports.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            try { Figures.FigureOutput.ParseExport(spec); }
            catch (ArgumentException e) { throw new UsageException($"notebooks: {e.Message}"); }
        }
        cl.RejectUnknown("notebooks");
        var paths = cl.Positional.Count > 0 ? cl.Positional : DefaultNotebooks();
        foreach (var p in paths)
            if (!File.Exists(p)) throw new UsageException($"notebooks: {p} does not exist");

        var runner = new NotebookRunner(echo: Console.Out);
        var failures = new List<NotebookRun>();
        foreach (var path in paths)
        {
            var name = Path.GetFileNameWithoutExtension(path);
            // Every setting, defaults included: a PROXIES_<NAME> left in this shell must not reach the kernel instead.
            var parameters = new Dictionary<string, string>(settings.Words());
            parameters["figures"] = Path.Combine(outDir, "figures", name);
            parameters["exports"] = exports;
            // Without --results the notebook's own default applies (Workbook.ResultsRoot), as it does in VS Code.
            if (results is not null) parameters["results"] = Path.GetFullPath(results);
            Console.WriteLine($"== {path} ({profile.Name()})");
            var run = runner.RunAsync(path, Path.Combine(outDir, name + ".ipynb"), parameters).GetAwaiter().GetResult();
            Console.WriteLine(run.Succeeded
                ? $"ok: {path}, {run.CellsRun} cells in {run.WallSeconds:F1} s -> {run.ExecutedPath}"
                : $"FAILED: {path}, cell {run.FailedCell}: {run.Error} (executed notebook with the error: {run.ExecutedPath})");
            if (!run.Succeeded) failures.Add(run);
        }
        Console.WriteLine($"notebooks: {paths.Count - failures.Count} passed, {failures.Count} failed; executed notebooks and figures in {outDir}");
        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>Every notebooks/*.ipynb below the current folder (the workbook's root), in order.</summary>
    internal static List<string> DefaultNotebooks()
    {
        var folder = Path.Combine(Directory.GetCurrentDirectory(), "notebooks");
        if (!Directory.Exists(folder)) throw new UsageException("no notebooks/ folder here; run from the workbook's root or name the notebooks");
        return Directory.GetFiles(folder, "*.ipynb").OrderBy(p => p, StringComparer.Ordinal).ToList();
    }
}
