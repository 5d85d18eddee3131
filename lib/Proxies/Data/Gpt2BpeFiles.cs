using System.Text;
using System.Text.Json;

namespace Proxies.Data;

/// <summary>
/// Learned merges as GPT-2's vocab.json (token → id) and merges.txt (one "left right" pair a line, by rank), the
/// form Hugging Face and Microsoft.ML.Tokenizers read. Bytes are written through GPT-2's byte-to-unicode table,
/// which maps each byte to a printable character (space → 'Ġ', newline → 'Ċ'), so no token contains whitespace
/// and a space can separate the two halves of a merge.
/// </summary>
public static class Gpt2BpeFiles
{
    public const string VocabFile = "vocab.json";
    public const string MergesFile = "merges.txt";

    /// <summary>GPT-2's table: printable Latin-1 bytes stand for themselves, the other 68 get U+0100 onwards in byte order.</summary>
    public static IReadOnlyList<char> ByteToUnicode { get; } = BuildTable();

    public static string Text(byte[] token) => string.Concat(token.Select(b => ByteToUnicode[b]));

    /// <summary>Every token by id, then <paramref name="endOfDocument"/> with the next id.</summary>
    public static byte[] VocabJson(BpeMerges learned, string endOfDocument)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            for (int id = 0; id < learned.Tokens.Count; id++) json.WriteNumber(Text(learned.Tokens[id]), id);
            json.WriteNumber(endOfDocument, learned.Tokens.Count);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static byte[] MergesText(BpeMerges learned)
    {
        var text = new StringBuilder("#version: 0.2\n");
        foreach (var (left, right) in learned.Merges)
            text.Append(Text(learned.Tokens[left])).Append(' ').Append(Text(learned.Tokens[right])).Append('\n');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    static char[] BuildTable()
    {
        var table = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
            table[b] = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF ? (char)b : (char)next++;
        return table;
    }
}
