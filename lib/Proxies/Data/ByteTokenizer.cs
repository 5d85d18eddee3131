using System.Text;

namespace Proxies.Data;

/// <summary>Byte-level tokens: UTF-8 bytes, vocabulary 256. Documents are joined by a blank line ("\n\n"),
/// which plays the role of the paper's end-of-document token.</summary>
public static class ByteTokenizer
{
    public const int VocabSize = 256;
    public const string DocumentSeparator = "\n\n";

    public static byte[] Encode(IEnumerable<string> documents) =>
        Encoding.UTF8.GetBytes(string.Join(DocumentSeparator, documents) + DocumentSeparator);

    public static string Decode(ReadOnlySpan<byte> tokens) => Encoding.UTF8.GetString(tokens);
}
