using System.Text;
using Proxies.Notebooks;

namespace Proxies.Cli;

/// <summary>`gallery`: every notebook, executed at the quick profile on the committed results, as a Markdown page with
/// its figures, in docs/gallery; `--check` says whether the committed pages are stale.</summary>
public static class GalleryVerb
{
    public const string Help = """
        gallery [NOTEBOOKS...]: run the notebooks (default: every notebooks/*.ipynb but 00-setup, which describes the
        machine it runs on) at the quick profile on the committed results, and write each as a Markdown page a
        repository browser shows: DIR/<notebook>.md, its figures as DIR/<notebook>/<figure>.png (1× size) and .json (the
        plotted data), and DIR/README.md, the index.
          --out DIR (docs/gallery)  (DIR/README.md is written and checked only when every notebook is rendered)
          --check             write nothing: compare the committed pages with a fresh rendering (text and tables with
                              each number to one unit in its last printed digit, times not compared; figures by their
                              data) and exit 1 naming every stale page
        Run from the workbook's root. Needs Chromium (for the PNGs). Trains nothing: a sweep whose runs are not all in
        results/quick stops its notebook with the `sweep` command that would complete it. What a page computes live
        (the μParam coordinate check, the κ transplant) runs with libtorch's GELU and attention, the kernels the
        committed results were trained with (PROXIES_KERNELS=libtorch); the GEMM library is this machine's, whose
        rounding moves those parts by about 1e-6, inside the check's tolerance.
        """;

    const string PageFolder = "docs/gallery", NotebookFolder = "notebooks";

    public static int Run(string[] args)
    {
        var cl = new CommandLine(args, new HashSet<string> { "--check" });
        var outDir = Path.GetFullPath(cl.String("--out") ?? PageFolder);
        bool check = cl.Has("--check");
        cl.RejectUnknown("gallery");
        var root = Directory.GetCurrentDirectory();
        Environment.SetEnvironmentVariable(Proxies.Model.Fused.Kernels.Variable, "libtorch");   // the notebooks' kernels inherit it
        var paths = cl.Positional.Count > 0 ? cl.Positional.ToList()
            : NotebooksVerb.DefaultNotebooks().Where(p => !Path.GetFileName(p).StartsWith("00", StringComparison.Ordinal)).ToList();
        foreach (var p in paths)
            if (!File.Exists(p)) throw new UsageException($"gallery: {p} does not exist");

        if (Figures.ImageExporter.FindChromium() is (null, var problem)) throw new UsageException($"gallery: its pages show figures as PNGs. {problem}");
        var work = Path.Combine(Path.GetTempPath(), $"proxies-gallery-{Environment.ProcessId}");
        var runner = new NotebookRunner(echo: Console.Out);
        var pages = new List<(string Name, string Markdown, IReadOnlyList<GalleryFigure> Figures)>();
        var relativePages = Path.GetRelativePath(root, outDir).Replace('\\', '/');
        try
        {
            foreach (var path in paths)
            {
                var name = Path.GetFileNameWithoutExtension(path);
                var figures = Path.Combine(work, "figures", name);
                Console.WriteLine($"== {path} (quick)");
                var run = runner.RunAsync(path, Path.Combine(work, name + ".ipynb"), new Dictionary<string, string>
                {
                    ["profile"] = "quick", ["matmul"] = "fp32", ["figures"] = figures, ["png-scale"] = "1",
                    ["train-missing"] = "false",
                }).GetAwaiter().GetResult();
                if (!run.Succeeded)
                {
                    Console.WriteLine($"FAILED: {path}, cell {run.FailedCell}: {run.Error}");
                    return 1;
                }
                var (markdown, figs) = GalleryPage.Render(run.ExecutedPath, figures, NotebookFolder, relativePages, name,
                    [(figures, $"{relativePages}/{name}"), (root + Path.DirectorySeparatorChar, ""), (root, ".")]);
                pages.Add((name, markdown, figs));
                Console.WriteLine($"ok: {path}, {figs.Count} figures, {run.WallSeconds:F1} s");
            }
            // The index lists every page: only a rendering of every notebook can write or check it.
            var index = cl.Positional.Count == 0 ? Index(pages) : null;
            return check ? Check(outDir, pages, index) : Write(outDir, pages, index);
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    static int Write(string outDir, List<(string Name, string Markdown, IReadOnlyList<GalleryFigure> Figures)> pages, string? index)
    {
        Directory.CreateDirectory(outDir);
        long bytes = 0;
        foreach (var (name, markdown, figures) in pages)
        {
            var assets = Path.Combine(outDir, name);
            Directory.CreateDirectory(assets);
            foreach (var stale in Directory.GetFiles(assets).Where(p => !figures.Any(f => Path.GetFileNameWithoutExtension(p) == f.Name)))
                File.Delete(stale);   // no figure a notebook no longer draws
            foreach (var f in figures)
            {
                var (png, json) = (Path.Combine(assets, f.Name + ".png"), Path.Combine(assets, f.Name + ".json"));
                // A figure whose plotted data and layout are unchanged keeps its committed PNG: Chromium's PNG bytes
                // differ from one rendering to the next, and a regenerated gallery should not rewrite 4 MB for nothing.
                bool unchanged = File.Exists(png) && File.Exists(json) && GalleryCheck.CompareFigure(File.ReadAllText(json), File.ReadAllText(f.Json)) is null;
                if (!unchanged) File.Copy(f.Png, png, overwrite: true);
                File.Copy(f.Json, json, overwrite: true);
            }
            Runtime.AtomicFile.WriteAllText(Path.Combine(outDir, name + ".md"), markdown);
            bytes += Directory.GetFiles(assets).Sum(p => new FileInfo(p).Length) + Encoding.UTF8.GetByteCount(markdown);
        }
        if (index is not null) Runtime.AtomicFile.WriteAllText(Path.Combine(outDir, "README.md"), index);
        Console.WriteLine($"gallery: {pages.Count} pages, {pages.Sum(p => p.Figures.Count)} figures, {bytes / 1e6:F1} MB -> {outDir}");
        return 0;
    }

    static int Check(string outDir, List<(string Name, string Markdown, IReadOnlyList<GalleryFigure> Figures)> pages, string? index)
    {
        var stale = new List<string>();
        void Compare(string file, string fresh)
        {
            var committed = Path.Combine(outDir, file);
            if (!File.Exists(committed)) stale.Add($"{file}: not committed");
            else if (GalleryCheck.CompareText(File.ReadAllText(committed), fresh) is { } d) stale.Add($"{file}: {d}");
        }
        if (index is not null) Compare("README.md", index);
        foreach (var (name, markdown, figures) in pages)
        {
            Compare(name + ".md", markdown);
            foreach (var f in figures)
            {
                var committed = Path.Combine(outDir, name, f.Name + ".json");
                if (!File.Exists(committed)) stale.Add($"{name}/{f.Name}.json: not committed");
                else if (GalleryCheck.CompareFigure(File.ReadAllText(committed), File.ReadAllText(f.Json)) is { } d) stale.Add($"{name}/{f.Name}.json: {d}");
            }
        }
        foreach (var s in stale) Console.WriteLine($"stale: {s}");
        Console.WriteLine(stale.Count == 0
            ? $"gallery: {pages.Count} pages and {pages.Sum(p => p.Figures.Count)} figures agree with the committed results"
            : $"gallery: {stale.Count} difference(s); run `gallery` and commit {Path.GetRelativePath(Directory.GetCurrentDirectory(), outDir)}");
        return stale.Count == 0 ? 0 : 1;
    }

    /// <summary>The gallery's front page: each notebook's page, its figures and its claims table.</summary>
    static string Index(List<(string Name, string Markdown, IReadOnlyList<GalleryFigure> Figures)> pages)
    {
        var text = new StringBuilder("""
            # Gallery: every notebook, rendered

            Each page is a notebook executed at the **quick** profile on the committed results (`results/quick`), with
            what its cells printed and every figure as a PNG (beside it, the figure's data as JSON). The pages are made
            by `gallery` (see the README) and checked against the committed results by `gallery --check`.

            | notebook | figures | claims |
            |---|---|---|

            """);
        foreach (var (name, markdown, figures) in pages)
        {
            var title = markdown.Split('\n').FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))?[2..].Trim() ?? name;
            var figureLinks = string.Join("<br>", figures.Select(f => $"[{f.Title.Replace("|", "\\|")}]({name}/{f.Name}.png)"));
            var claims = markdown.Contains("\n## Claims, against the noise\n", StringComparison.Ordinal) ? $"[claims table]({name}.md#claims-against-the-noise)" : "";
            text.Append($"| [{title}]({name}.md) | {figureLinks} | {claims} |\n");
        }
        return text.ToString();
    }
}
