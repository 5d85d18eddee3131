using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Proxies.Data;

/// <summary>
/// A text corpus as a list of documents. Reads plain text (documents separated by a blank line, as in
/// data/brown.txt.gz), JSON lines (one document per line, its "text" field), each optionally gzip-compressed.
/// </summary>
public sealed class TextCorpus
{
    public IReadOnlyList<string> Documents { get; }
    public string Source { get; }

    public TextCorpus(IReadOnlyList<string> documents, string source) => (Documents, Source) = (documents, source);

    /// <summary>The Brown corpus shipped with the workbook (data/brown.txt.gz, see data/README.md).</summary>
    public static string DefaultPath => FindShipped("brown.txt.gz");

    public static TextCorpus Load(string path)
    {
        if (!File.Exists(path)) throw new DataException($"data file '{path}' does not exist; pass --data with a .txt, .jsonl or .gz text file");
        var documents = ReadDocuments(path).ToList();
        if (documents.Count == 0 || documents.Sum(d => d.Length) < MinChars)
            throw new DataException(TooLittleText(path, documents.Sum(d => (long)d.Length)));
        return new TextCorpus(documents, Path.GetFullPath(path));
    }

    /// <summary>A corpus needs at least this much text.</summary>
    public const int MinChars = 1024;

    public static string TooLittleText(string source, long chars) =>
        $"data file '{source}' holds {chars} characters of text; a corpus needs at least 1 KiB";

    /// <summary>The documents of one file, read as a stream (a line at a time, through gzip when the name ends in .gz):
    /// JSON lines (.jsonl, .json) give one document per line, its "text" field; plain text gives the runs of lines
    /// between blank lines, trimmed.</summary>
    public static IEnumerable<string> ReadDocuments(string path)
    {
        bool gz = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        string inner = gz ? path[..^3] : path;
        bool json = inner.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || inner.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        using var file = File.OpenRead(path);
        using Stream stream = gz ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var paragraph = new StringBuilder();
        for (int lineNo = 1; ; lineNo++)
        {
            string? line;
            try { line = reader.ReadLine(); }
            catch (InvalidDataException e) { throw new DataException($"data file '{path}' is not valid gzip: {e.Message}"); }
            if (json)
            {
                if (line is null) yield break;
                if (!string.IsNullOrWhiteSpace(line)) yield return JsonText(line, path, lineNo);
                continue;
            }
            if (line is null || line.Length == 0)
            {
                var doc = paragraph.ToString().Trim();
                paragraph.Clear();
                if (doc.Length > 0) yield return doc;
                if (line is null) yield break;
                continue;
            }
            if (paragraph.Length > 0) paragraph.Append('\n');
            paragraph.Append(line);
        }
    }

    static string JsonText(string line, string path, int lineNo)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                return t.GetString()!;
        }
        catch (JsonException e) { throw new DataException($"{path}:{lineNo}: not valid JSON ({e.Message})"); }
        throw new DataException($"{path}:{lineNo}: a JSON line needs a string field \"text\"");
    }

    /// <summary>Finds a file under the workbook's data/ folder, looking upwards from the app and the working folder.</summary>
    public static string FindShipped(string name)
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "data", name);
                if (File.Exists(candidate)) return candidate;
            }
        throw new DataException($"data/{name} was not found above {AppContext.BaseDirectory} or {Directory.GetCurrentDirectory()}; run from the workbook's folder or pass --data");
    }
}

/// <summary>Input data is missing or unusable; the message names the file and the fix.</summary>
public sealed class DataException(string message) : Exception(message);
