using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Proxies.Data;

/// <summary>
/// A tokenizer trained elsewhere, given as --vocab PATH: a SentencePiece .model (Llama, T5, ...) or a tiktoken
/// .tiktoken file (cl100k_base, ...), both read by Microsoft.ML.Tokenizers. Documents end with the tokenizer's
/// end-of-sentence id where it has one; a .tiktoken file lists no special tokens, so there documents end with a
/// blank line, as with bytes.
/// </summary>
public sealed partial class FileTokenizer : ITokenizer
{
    public const string DocumentSeparator = "\n\n";
    public static readonly IReadOnlyList<string> Extensions = [".model", ".tiktoken"];

    /// <summary>cl100k_base's pre-tokenizer (tiktoken's pattern), for .tiktoken files, which do not carry one.</summary>
    [GeneratedRegex(@"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")]
    private static partial Regex Cl100kWords();

    readonly Tokenizer tokenizer;

    public string Spec { get; }
    public int VocabSize { get; }
    /// <summary>The id after each document, or null where documents end with <see cref="DocumentSeparator"/>.</summary>
    public int? EndOfDocumentId { get; }

    FileTokenizer(string spec, Tokenizer tokenizer, int vocabSize, int? endOfDocumentId) =>
        (Spec, this.tokenizer, VocabSize, EndOfDocumentId) = (spec, tokenizer, vocabSize, endOfDocumentId);

    public static bool HasTokenizerExtension(string path) =>
        Extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    /// <summary>Null when <paramref name="path"/> is an existing file with a known extension, else what is wrong.</summary>
    public static string? Check(string path) =>
        !HasTokenizerExtension(path) ? "a tokenizer file must be a SentencePiece .model or a tiktoken .tiktoken file"
        : !File.Exists(path) ? "tokenizer file does not exist"
        : null;

    /// <summary>Reads the file; one the library cannot read is a <see cref="DataException"/> naming it.</summary>
    public static FileTokenizer Open(string path)
    {
        if (Check(path) is { } problem) throw new DataException($"--vocab {path}: {problem}");
        bool sentencePiece = path.EndsWith(".model", StringComparison.OrdinalIgnoreCase);
        try { return sentencePiece ? OpenSentencePiece(path) : OpenTiktoken(path); }
        // The library reports a damaged file with several exception types (protobuf, format, argument, ...).
        catch (Exception e) when (e is not DataException and not OutOfMemoryException)
        {
            throw new DataException($"--vocab {path}: not a valid {(sentencePiece ? "SentencePiece model" : "tiktoken file")} ({e.Message})");
        }
    }

    static FileTokenizer OpenSentencePiece(string path)
    {
        using var file = File.OpenRead(path);
        var model = SentencePieceTokenizer.Create(file, addBeginningOfSentence: false, addEndOfSentence: false);
        int size = model.Vocabulary.Values.Append(model.EndOfSentenceId).Append(model.UnknownId).Max() + 1;
        return new FileTokenizer(path, model, size, model.EndOfSentenceId >= 0 ? model.EndOfSentenceId : null);
    }

    /// <summary>Each line of a .tiktoken file is a base64 token and its id; the vocabulary is the largest id + 1.</summary>
    static FileTokenizer OpenTiktoken(string path)
    {
        var model = TiktokenTokenizer.Create(path, new RegexPreTokenizer(Cl100kWords(), specialTokens: null), normalizer: null);
        int size = File.ReadLines(path).Where(line => line.Length > 0)
            .Max(line => int.Parse(line.AsSpan(line.LastIndexOf(' ') + 1), System.Globalization.CultureInfo.InvariantCulture)) + 1;
        return new FileTokenizer(path, model, size, endOfDocumentId: null);
    }

    public int[] Encode(IEnumerable<string> documents)
    {
        var stream = new List<int>();
        foreach (var document in documents)
            if (EndOfDocumentId is int end)
            {
                stream.AddRange(tokenizer.EncodeToIds(document));
                stream.Add(end);
            }
            else stream.AddRange(tokenizer.EncodeToIds(document + DocumentSeparator));
        return [.. stream];
    }

    public string Decode(IEnumerable<int> ids) => tokenizer.Decode(ids);
}
