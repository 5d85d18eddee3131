namespace Proxies.Data;

/// <summary>Turns documents into one token stream, with an end-of-document token (or separator) between them.</summary>
public interface ITokenizer
{
    /// <summary>The --vocab spec this tokenizer was made from (bytes, words:N, bpe:N or a file path).</summary>
    string Spec { get; }

    int VocabSize { get; }

    int[] Encode(IEnumerable<string> documents);
}
