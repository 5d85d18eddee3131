using System.Text.Json;
using System.Text.Json.Nodes;
using Proxies.Results;

namespace Proxies.Notebooks;

/// <summary>
/// A Polyglot notebook file (nbformat 4.5): cells with their sources and outputs. Sources and multi-line
/// output texts are stored as arrays of lines, as Jupyter and VS Code write them.
/// </summary>
public sealed class Ipynb
{
    public JsonObject Root { get; }
    public string Path { get; }

    Ipynb(JsonObject root, string path) => (Root, Path) = (root, path);

    public static Ipynb Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"notebook {path} does not exist", path);
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path} is not valid JSON: {e.Message}"); }
        if (node is not JsonObject root || (int?)root["nbformat"] != 4 || root["cells"] is not JsonArray)
            throw new InvalidDataException($"{path} is not an nbformat 4 notebook (no nbformat: 4 or no cells)");
        return new Ipynb(root, path);
    }

    public IEnumerable<JsonObject> Cells => Root["cells"]!.AsArray().OfType<JsonObject>();

    public static string Source(JsonObject cell) => Text(cell["source"]);

    /// <summary>A notebook text field: a string or an array of strings to concatenate.</summary>
    public static string Text(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue value => (string?)value ?? "",
        _ => "",
    };

    /// <summary>Splits text into Jupyter's line array (each line keeps its "\n", the last may lack one).</summary>
    public static JsonArray Lines(string text)
    {
        var array = new JsonArray();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n') { array.Add(text[start..(i + 1)]); start = i + 1; }
        if (start < text.Length) array.Add(text[start..]);
        return array;
    }

    public void Save(string path) =>
        AtomicFile.WriteAllText(path, Root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

    /// <summary>A new empty notebook with Polyglot's metadata (C# kernel).</summary>
    public static JsonObject NewRoot() => new()
    {
        ["cells"] = new JsonArray(),
        ["metadata"] = new JsonObject
        {
            ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
            ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
            ["polyglot_notebook"] = new JsonObject
            {
                ["kernelInfo"] = new JsonObject
                {
                    ["defaultKernelName"] = "csharp",
                    ["items"] = new JsonArray { new JsonObject { ["name"] = "csharp", ["aliases"] = new JsonArray() } },
                },
            },
        },
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    };

    public static Ipynb FromRoot(JsonObject root, string path) => new(root, path);
}
