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
        string text;
        bool gz = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        try
        {
            using var file = File.OpenRead(path);
            using Stream stream = gz ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            text = reader.ReadToEnd();
        }
        catch (InvalidDataException e) { throw new DataException($"data file '{path}' is not valid gzip: {e.Message}"); }
        string inner = gz ? path[..^3] : path;
        var documents = inner.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || inner.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            ? ParseJsonLines(text, path)
            : SplitDocuments(text);
        if (documents.Count == 0 || documents.Sum(d => d.Length) < 1024)
            throw new DataException($"data file '{path}' holds {documents.Sum(d => d.Length)} characters of text; a corpus needs at least 1 KiB");
        return new TextCorpus(documents, Path.GetFullPath(path));
    }

    /// <summary>Documents are separated by one or more blank lines.</summary>
    public static List<string> SplitDocuments(string text) =>
        text.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(d => d.Length > 0).ToList();

    static List<string> ParseJsonLines(string text, string path)
    {
        var docs = new List<string>();
        int lineNo = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var json = JsonDocument.Parse(line);
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                    docs.Add(t.GetString()!);
                else throw new DataException($"{path}:{lineNo}: a JSON line needs a string field \"text\"");
            }
            catch (JsonException e) { throw new DataException($"{path}:{lineNo}: not valid JSON ({e.Message})"); }
        }
        return docs;
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
