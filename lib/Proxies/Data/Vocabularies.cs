using System.Globalization;

namespace Proxies.Data;

/// <summary>The --vocab choices. A tokenizer is built from the training documents only, so held-out text never
/// shapes the vocabulary.</summary>
public static class Vocabularies
{
    public const int MinWords = 16, MaxWords = 1_000_000;
    /// <summary>At least the 256 bytes, &lt;eos&gt; and one merge.</summary>
    public const int MinBpe = 258, MaxBpe = 65_536;

    public const string Allowed = "bytes (UTF-8 bytes, 256 tokens); words:N (the N - 2 most frequent words and punctuation marks, "
        + "<unk> and <eos>; N from 16 to 1000000); bpe:N (byte-level BPE learned on the training text, N tokens, from 258 to 65536); "
        + "or the path of a tokenizer file: a SentencePiece .model or a tiktoken .tiktoken file";

    /// <summary>Null when the spec is valid, else what is wrong with it.</summary>
    public static string? Check(string spec)
    {
        if (spec == "bytes") return null;
        if (spec.StartsWith("words:", StringComparison.Ordinal))
            return Size(spec, "words:", MinWords, MaxWords) is null ? $"words:N needs an integer N from {MinWords} to {MaxWords}" : null;
        if (spec.StartsWith("bpe:", StringComparison.Ordinal))
            return Size(spec, "bpe:", MinBpe, MaxBpe) is null ? $"bpe:N needs an integer N from {MinBpe} to {MaxBpe}" : null;
        if (FileTokenizer.HasTokenizerExtension(spec) || File.Exists(spec)) return FileTokenizer.Check(spec);
        return $"must be {Allowed}";
    }

    /// <summary>The number of tokens a spec gives, where the spec alone says it (bytes, words:N, bpe:N); null for a
    /// tokenizer file.</summary>
    public static int? KnownSize(string spec) =>
        spec == "bytes" ? 256 : Size(spec, "words:", MinWords, MaxWords) ?? Size(spec, "bpe:", MinBpe, MaxBpe);

    public static ITokenizer Create(string spec, IReadOnlyList<string> trainingDocuments) => Create(spec, () => trainingDocuments);

    /// <param name="learnOn">the documents a learned vocabulary (words:N, bpe:N) is learned on; read only for those</param>
    public static ITokenizer Create(string spec, Func<IReadOnlyList<string>> learnOn)
    {
        if (Check(spec) is { } problem) throw new ArgumentException($"--vocab {spec}: {problem}");
        if (spec == "bytes") return new ByteTokenizer();
        if (Size(spec, "words:", MinWords, MaxWords) is int words) return new WordTokenizer(words, learnOn());
        if (Size(spec, "bpe:", MinBpe, MaxBpe) is int tokens) return ByteBpeTokenizer.Train(tokens, learnOn(), CacheFolder.Default);
        return FileTokenizer.Open(spec);
    }

    static int? Size(string spec, string prefix, int min, int max) =>
        spec.StartsWith(prefix, StringComparison.Ordinal)
        && int.TryParse(spec.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int n)
        && n >= min && n <= max ? n : null;
}
