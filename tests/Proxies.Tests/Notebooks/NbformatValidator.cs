using System.Text.Json.Nodes;
using Json.Schema;

namespace Proxies.Tests.Notebooks;

/// <summary>
/// Validates a notebook against Jupyter's own nbformat 4.5 JSON schema (nbformat.v4.5.schema.json beside this file,
/// from the nbformat package, BSD-3-Clause), in-process: no Python or Jupyter needed.
/// </summary>
/// <remarks>
/// The schema declares draft-04, which JsonSchema.Net does not evaluate; it is evaluated as draft-07, where every
/// keyword it uses ($ref into definitions, type, properties, required, additionalProperties, patternProperties, enum,
/// oneOf, not, items, minimum, pattern, uniqueItems) means the same.
/// </remarks>
public static class NbformatValidator
{
    static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Notebooks", "nbformat.v4.5.schema.json")))!;
        schema["$schema"] = "http://json-schema.org/draft-07/schema#";
        return JsonSchema.FromText(schema.ToJsonString());
    });

    public static void AssertValid(string path)
    {
        var results = Schema.Value.Evaluate(JsonNode.Parse(File.ReadAllText(path)), new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(results.IsValid, $"{path} is not valid nbformat 4.5:\n" + string.Join("\n",
            results.Details.Where(d => d.Errors is { Count: > 0 }).Take(20)
                .Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}")));
    }

    /// <summary>The check itself can fail: a notebook without cell ids is not nbformat 4.5.</summary>
    public static bool IsValid(string json) => Schema.Value.Evaluate(JsonNode.Parse(json)).IsValid;
}
