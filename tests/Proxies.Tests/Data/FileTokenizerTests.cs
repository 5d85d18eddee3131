using System.IO.Compression;
using System.Reflection;
using Microsoft.ML.Tokenizers;
using Proxies.Data;

namespace Proxies.Tests.Data;

public class FileTokenizerTests
{
    /// <summary>
    /// cl100k_base as a standard .tiktoken file ("base64-token rank" a line). The Microsoft.ML.Tokenizers.Data.Cl100kBase
    /// package (a test dependency) embeds it deflated in its own compact form: a "Capacity: N" line, then one token a line
    /// in rank order.
    /// </summary>
    static readonly Lazy<string> Cl100k = new(() =>
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("proxies-tiktoken-").FullName, "cl100k_base.tiktoken");
        using var resource = Assembly.Load("Microsoft.ML.Tokenizers.Data.Cl100kBase").GetManifestResourceStream("cl100k_base.tiktoken.deflate")!;
        using var reader = new StreamReader(new DeflateStream(resource, CompressionMode.Decompress));
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("Capacity:", lines[0]);
        File.WriteAllLines(path, lines.Skip(1).Select((token, rank) => $"{token} {rank}"));
        return path;
    });

    static string Temp(string name) => Path.Combine(Directory.CreateTempSubdirectory("proxies-vocab-file-").FullName, name);

    [Fact]
    public void TiktokenFileEncodesAsCl100kBaseWithABlankLineAfterEachDocument()
    {
        var tokenizer = FileTokenizer.Open(Cl100k.Value);
        Assert.Equal((100256, null), (tokenizer.VocabSize, tokenizer.EndOfDocumentId));
        string[] documents = ["Hello world, it's 12345 dollars!\n  Indented\tline", "naïve café 日本語 😀   end  "];
        // Same ids as the library's own cl100k_base tokenizer: the pre-tokenizer regex matches tiktoken's.
        var reference = TiktokenTokenizer.CreateForEncoding("cl100k_base");
        int[] expected = [.. documents.SelectMany(d => reference.EncodeToIds(d + FileTokenizer.DocumentSeparator))];
        var ids = tokenizer.Encode(documents);
        Assert.Equal(expected, ids);
        Assert.Equal(string.Concat(documents.Select(d => d + "\n\n")), tokenizer.Decode(ids));
    }

    [Fact]
    public void APathIsAVocabulary()
    {
        Assert.Null(Vocabularies.Check(Cl100k.Value));
        var tokenizer = Assert.IsType<FileTokenizer>(Vocabularies.Create(Cl100k.Value, ["unused: a file's vocabulary is fixed"]));
        Assert.Equal((Cl100k.Value, 100256), (tokenizer.Spec, tokenizer.VocabSize));
    }

    [Fact]
    public void SentencePieceModelEncodesWithItsPiecesAndEndsDocumentsWithItsEndOfSentenceId()
    {
        var path = Temp("tiny.model");
        SentencePieceModelFile.Write(path,
        [
            ("<unk>", 0, SentencePieceModelFile.Unknown), ("<s>", 0, SentencePieceModelFile.Control), ("</s>", 0, SentencePieceModelFile.Control),
            ("▁a", -1, SentencePieceModelFile.Normal), ("ab", -2, SentencePieceModelFile.Normal), ("▁ab", -3, SentencePieceModelFile.Normal),
            ("▁", -4, SentencePieceModelFile.Normal), ("a", -5, SentencePieceModelFile.Normal), ("b", -6, SentencePieceModelFile.Normal),
            ("c", -7, SentencePieceModelFile.Normal),
        ]);
        var tokenizer = FileTokenizer.Open(path);
        Assert.Equal((10, 2), (tokenizer.VocabSize, tokenizer.EndOfDocumentId));
        // "▁ab" "▁ab" "c" "▁a" </s>, then "▁" "b" "a" </s>, and 'x', 'y', 'z' are no pieces: <unk>. (Microsoft.ML.Tokenizers
        // 2.0.1 encodes a one-character text as nothing, so no document here is one character.)
        Assert.Equal([5, 5, 9, 3, 2, 6, 8, 7, 2, 6, 0, 0, 0, 2], tokenizer.Encode(["ab abc a", "ba", "xyz"]));
    }

    [Fact]
    public void CheckNamesAMissingFileAndAWrongExtension()
    {
        Assert.Null(FileTokenizer.Check(Cl100k.Value));
        Assert.Contains("does not exist", FileTokenizer.Check("/nonexistent/tokenizer.model"));
        var text = Temp("vocab.txt");
        File.WriteAllText(text, "a 0\n");
        Assert.Contains("SentencePiece .model or a tiktoken .tiktoken", FileTokenizer.Check(text));
    }

    [Theory]
    [InlineData("broken.model")]
    [InlineData("broken.tiktoken")]
    public void DamagedFileIsADataExceptionNamingIt(string name)
    {
        var path = Temp(name);
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0x0A, 0x01, 0x02, 0x20, 0x7A]);
        var error = Assert.Throws<DataException>(() => FileTokenizer.Open(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("not a valid", error.Message);
    }
}
