using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Proxies.Notebooks;

/// <summary>A figure of a gallery page: its title, and the files the notebook saved for it (PNG, and the plotted data
/// as plotly.js JSON).</summary>
public sealed record GalleryFigure(string Name, string Title, string Png, string Json);

/// <summary>
/// One executed notebook as a Markdown page a repository browser shows without running anything: the prose as written
/// (relative links re-pointed from notebooks/ to the page's folder), each code cell folded under its outputs' heading,
/// printed text as text blocks, tables as HTML tables, and every figure as its PNG (the interactive chart needs
/// scripts, which no browser of a repository runs).
/// </summary>
/// <remarks>
/// Markdown with PNG files rather than committed .ipynb outputs: a GitHub or GitLab page renders Markdown everywhere
/// and at once, an .ipynb with outputs only through a separate, size-limited viewer; each figure output would carry its
/// PNG in base64 plus the 3.6 MB plotly.js; and a Markdown page diffs line by line in review.
/// </remarks>
public static partial class GalleryPage
{
    /// <summary>The page of the executed notebook <paramref name="executedPath"/>, whose figures the notebook saved in
    /// <paramref name="figuresFolder"/>. <paramref name="pageFolder"/> and <paramref name="notebookFolder"/> are
    /// repository-relative (e.g. docs/gallery, notebooks): prose links are re-pointed from one to the other.
    /// <paramref name="assets"/> is the folder, relative to the page, its figures' files will be copied to.
    /// <paramref name="scrub"/> maps machine-specific text (absolute paths) to what the page shows instead.</summary>
    public static (string Markdown, IReadOnlyList<GalleryFigure> Figures) Render(string executedPath, string figuresFolder,
        string notebookFolder, string pageFolder, string assets, IReadOnlyList<(string From, string To)> scrub)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(executedPath))!;
        var page = new StringBuilder();
        var figures = new List<GalleryFigure>();
        string Clean(string text) => scrub.Aggregate(text, (t, s) => t.Replace(s.From, s.To, StringComparison.Ordinal));

        page.Append($"<!-- Rendered by `proxies gallery` from {notebookFolder}/{Path.GetFileName(executedPath)} at the quick profile; ")
            .Append("do not edit: run `gallery` again. -->\n\n");
        foreach (var cell in notebook["cells"]!.AsArray())
        {
            var source = Source(cell!["source"]);
            if ((string?)cell["cell_type"] == "markdown")
            {
                page.Append(Relink(source, notebookFolder, pageFolder)).Append("\n\n");
                continue;
            }
            page.Append("<details><summary>code</summary>\n\n```csharp\n").Append(source.TrimEnd()).Append("\n```\n\n</details>\n\n");
            var text = new StringBuilder();
            void FlushText()
            {
                if (text.Length == 0) return;
                page.Append("```text\n").Append(Clean(text.ToString()).TrimEnd('\n')).Append("\n```\n\n");
                text.Clear();
            }
            foreach (var output in cell["outputs"]?.AsArray() ?? new JsonArray())
            {
                var data = output!["data"];
                switch ((string?)output["output_type"])
                {
                    case "stream":
                        text.Append(Source(output["text"]));
                        break;
                    case "error":
                        throw new InvalidOperationException($"{executedPath}: a cell failed ({output["ename"]}: {output["evalue"]}); a gallery page needs a notebook that ran to the end");
                    case "display_data" or "execute_result" when Field(data, "image/png") is not null:
                        FlushText();
                        var title = Source(Field(data, "text/plain"));
                        var name = FigureName().Match(title) is { Success: true } m ? m.Groups["name"].Value
                            : throw new InvalidOperationException($"{executedPath}: a figure output names no saved files: {title}");
                        var shownTitle = title[..title.IndexOf(" (saved:", StringComparison.Ordinal)];
                        var figure = new GalleryFigure(name, shownTitle, Path.Combine(figuresFolder, name + ".png"), Path.Combine(figuresFolder, name + ".json"));
                        figures.Add(figure);
                        page.Append($"![{shownTitle}]({assets}/{name}.png)\n\n")
                            .Append($"*{shownTitle}* ([data]({assets}/{name}.json))\n\n");
                        break;
                    case "display_data" or "execute_result" when Source(Field(data, "text/html")) is { Length: > 0 } html && html.StartsWith("<table>", StringComparison.Ordinal):
                        FlushText();
                        page.Append(Clean(html)).Append("\n\n");
                        break;
                    case "display_data" or "execute_result":
                        text.Append(Source(Field(data, "text/plain"))).Append('\n');
                        break;
                }
            }
            FlushText();
        }
        return (page.ToString().TrimEnd('\n') + "\n", figures);
    }

    static JsonNode? Field(JsonNode? node, string name) => node is JsonObject o ? o[name] : null;

    /// <summary>nbformat stores multi-line text as a string or as a list of lines.</summary>
    static string Source(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        _ => (string?)node ?? "",
    };

    /// <summary>Re-points the relative targets of Markdown links from <paramref name="from"/> to <paramref name="to"/>
    /// (both repository-relative folders); absolute URLs and in-page anchors stay.</summary>
    public static string Relink(string markdown, string from, string to) => LinkTarget().Replace(markdown, m =>
    {
        var target = m.Groups["target"].Value;
        if (target.StartsWith('#') || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
            return m.Value;
        int hash = target.IndexOf('#');
        var (path, anchor) = hash >= 0 ? (target[..hash], target[hash..]) : (target, "");
        // Resolve against a fake root, so that ../ above the repository stays an error to see, not a silent rewrite.
        var root = Path.Combine(Path.GetTempPath(), "repository-root");
        var absolute = Path.GetFullPath(Path.Combine(root, from, path));
        var relative = Path.GetRelativePath(Path.Combine(root, to), absolute).Replace('\\', '/');
        return $"]({relative}{anchor})";
    });

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex LinkTarget();

    // The figure output's text line: "Title (saved: name.html, name.json, name.png, name.svg in FOLDER)".
    [GeneratedRegex(@"\(saved: (?<name>[a-z0-9_-]+)\.html")]
    private static partial Regex FigureName();
}
