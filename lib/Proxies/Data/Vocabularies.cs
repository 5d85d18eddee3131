namespace Proxies.Data;

/// <summary>The --vocab choices. A tokenizer is built from the training documents only, so held-out text never
/// shapes the vocabulary.</summary>
public static class Vocabularies
{
    public const string Allowed = "bytes";

    /// <summary>Null when the spec is valid, else what is wrong with it.</summary>
    public static string? Check(string spec) => spec == "bytes" ? null : $"must be {Allowed}";

    public static ITokenizer Create(string spec, IReadOnlyList<string> trainingDocuments) => spec switch
    {
        "bytes" => new ByteTokenizer(),
        _ => throw new ArgumentException($"--vocab {spec}: {Check(spec)}"),
    };
}
