using System.Diagnostics;
using System.Text.Json;
using Proxies.Data;

namespace Proxies.Tests.Data;

public class ByteBpeTokenizerTests
{
    static readonly string[] Corpus =
        ["low low low low low lower lower newest newest newest newest newest newest widest widest widest"];

    static string TempFolder() => Directory.CreateTempSubdirectory("proxies-bpe-test-").FullName;

    [Fact]
    public void LearnsFromWordsWithTheirLeadingSpace()
    {
        // The pre-tokenizer gives the words of BpeTrainerTests ("low" once, " low" four times, ...), so the same merges.
        var bpe = ByteBpeTokenizer.Train(263, Corpus, TempFolder());
        var merged = bpe.Learned.Merges.Select(m => bpe.Decode([m.Left, m.Right]));
        Assert.Equal(["es", "est", "lo", "low", " n", " low"], merged);
        Assert.Equal((263, 262, "bpe:263"), (bpe.VocabSize, bpe.EndOfDocumentId, bpe.Spec));
    }

    [Fact]
    public void WritesGpt2VocabAndMergesFiles()
    {
        var bpe = ByteBpeTokenizer.Train(263, Corpus, TempFolder());
        var merges = File.ReadAllLines(Path.Combine(bpe.Folder, Gpt2BpeFiles.MergesFile));
        // A space is written 'Ġ' (GPT-2's byte-to-unicode table), so a space can separate the halves of a merge.
        Assert.Equal(["#version: 0.2", "e s", "es t", "l o", "lo w", "Ġ n", "Ġ low"], merges);
        var vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Path.Combine(bpe.Folder, Gpt2BpeFiles.VocabFile)))!;
        Assert.Equal(263, vocab.Count);
        Assert.Equal((32, 'Ġ'), (vocab["Ġ"], Gpt2BpeFiles.ByteToUnicode[' ']));
        Assert.Equal((10, 'Ċ'), (vocab["Ċ"], Gpt2BpeFiles.ByteToUnicode['\n']));
        Assert.Equal((261, 262), (vocab["Ġlow"], vocab[ByteBpeTokenizer.EndOfDocument]));
    }

    [Fact]
    public void EncodesWithTheLearnedMergesAndEndsEachDocument()
    {
        var bpe = ByteBpeTokenizer.Train(263, Corpus, TempFolder());
        // "low" → 259, " lowest" → " low" (261) 'e' 's' 't' → " low" "est" (257), " x" → ' ' 'x'.
        Assert.Equal([259, 261, 257, 262, ' ', 'x', 262], bpe.Encode(["low lowest", " x"]));
    }

    [Theory]
    [InlineData("The naïve café — 日本語 😀 costs €12,345.67!\n\n  Double  spaces,\ttabs\r\nand 'quotes' don't   end ")]
    [InlineData("")]
    [InlineData("<eos> is just text here")]
    public void DecodeInvertsEncodeExactlyOnAnyText(string text)
    {
        var bpe = ByteBpeTokenizer.Train(400, [.. Corpus, "naïve cafés and 日本語 text, with spaces  and\ttabs"], TempFolder());
        var ids = bpe.Encode([text]);
        Assert.Equal(bpe.EndOfDocumentId, ids[^1]);
        Assert.Equal(text, bpe.Decode(ids[..^1]));
    }

    [Fact]
    public void OnBrownLearns1024TokensQuicklyAndNeedsFewerTokensThanBytes()
    {
        var train = TextCorpus.Load(TextCorpus.DefaultPath).Documents.Where((_, i) => i % TokenStreams.EvalEvery != TokenStreams.EvalEvery - 1).ToList();
        var clock = Stopwatch.StartNew();
        var bpe = ByteBpeTokenizer.Train(1024, train, TempFolder());
        var ids = bpe.Encode(train);
        Assert.True(clock.Elapsed.TotalSeconds < 30, $"bpe:1024 on Brown took {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(1024, bpe.VocabSize);
        int bytes = new ByteTokenizer().Encode(train).Length;
        Assert.True(ids.Length < bytes / 2, $"bpe:1024 gives {ids.Length} tokens, bytes {bytes}");
        Assert.All(ids, id => Assert.InRange(id, 0, 1023));
    }
}
