using System.Text;

namespace Proxies.Data;

/// <summary>Byte-level tokens: UTF-8 bytes, vocabulary 256. Documents are joined by a blank line ("\n\n"),
/// which plays the role of the paper's end-of-document token.</summary>
public sealed class ByteTokenizer : ITokenizer
{
    public const int Size = 256;
    public const string DocumentSeparator = "\n\n";

    public string Spec => "bytes";
    public int VocabSize => Size;

    public int[] Encode(IEnumerable<string> documents) =>
        Encoding.UTF8.GetBytes(string.Join(DocumentSeparator, documents) + DocumentSeparator).Select(b => (int)b).ToArray();
}
