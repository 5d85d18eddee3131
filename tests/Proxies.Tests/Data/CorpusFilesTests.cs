using System.IO.Compression;
using System.Text;
using Proxies.Data;
using Proxies.Sweeps;

namespace Proxies.Tests.Data;

public class CorpusFilesTests
{
    static string Folder() => Directory.CreateTempSubdirectory("proxies-shards-").FullName;

    static void WriteText(string path, IEnumerable<string> documents)
    {
        using var file = File.Create(path);
        using Stream stream = path.EndsWith(".gz") ? new GZipStream(file, CompressionLevel.Fastest) : file;
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        bool json = path.Contains(".json");
        foreach (var d in documents) writer.Write(json ? System.Text.Json.JsonSerializer.Serialize(new { text = d, url = "x" }) + "\n" : d + "\n\n");
    }

    static IEnumerable<string> Docs(string shard, int n) => Enumerable.Range(0, n).Select(i => $"Shard {shard}, document {i}: the cat sat on mat {i * 7}.");

    [Fact]
    public void AFolderOrGlobHoldsOutItsValidationShardsOrElseTheLastShard()
    {
        var folder = Folder();
        foreach (var name in new[] { "c4-train.00001-of-00002.json.gz", "c4-train.00000-of-00002.json.gz", "c4-validation.00000-of-00001.json.gz", "README.md" })
            File.WriteAllText(Path.Combine(folder, name), "");
        var files = CorpusFiles.Resolve(folder);
        Assert.Equal(["c4-train.00000-of-00002.json.gz", "c4-train.00001-of-00002.json.gz"], files.Train.Select(Path.GetFileName));
        Assert.Equal(["c4-validation.00000-of-00001.json.gz"], files.HeldOut.Select(Path.GetFileName));
        var glob = CorpusFiles.Resolve(Path.Combine(folder, "c4-train.*.json.gz"));
        Assert.Equal(["c4-train.00000-of-00002.json.gz"], glob.Train.Select(Path.GetFileName));
        Assert.Equal(["c4-train.00001-of-00002.json.gz"], glob.HeldOut.Select(Path.GetFileName));
        var one = CorpusFiles.Resolve(Path.Combine(folder, "c4-validation.*"));
        Assert.True(one.SplitByDocument);
    }

    [Theory]
    [InlineData("/no/such/folder/*.jsonl", "no .txt")]
    [InlineData("/no/such/corpus.txt", "does not exist")]
    public void AMissingCorpusIsRefusedSayingWhatIsAccepted(string spec, string message) =>
        Assert.Contains(message, Assert.Throws<DataException>(() => CorpusFiles.Resolve(spec)).Message);

    [Fact]
    public void DocumentsAreReadAsAStreamInEveryFormat()
    {
        var folder = Folder();
        var text = Path.Combine(folder, "a.txt");
        File.WriteAllText(text, "First line\r\nsame document\r\n\r\n\r\n\n  Second  \n\nThird\n");
        Assert.Equal(["First line\nsame document", "Second", "Third"], TextCorpus.ReadDocuments(text));
        foreach (var name in new[] { "b.txt.gz", "c.jsonl", "d.jsonl.gz", "e.json.gz" })
        {
            var path = Path.Combine(folder, name);
            WriteText(path, ["one\nwith two lines", "two"]);
            Assert.Equal(["one\nwith two lines", "two"], TextCorpus.ReadDocuments(path));
        }
    }

    [Fact]
    public void ShardsAreTokenizedIntoTheCacheAsTheyAreInMemoryWithWholeShardsHeldOut()
    {
        var folder = Folder();
        WriteText(Path.Combine(folder, "part-0.txt.gz"), Docs("0", 700));
        WriteText(Path.Combine(folder, "part-1.jsonl"), Docs("1", 900));
        WriteText(Path.Combine(folder, "part-2.jsonl.gz"), Docs("2", 300));
        var cache = new TokenStreamCache(Path.Combine(Folder(), "cache"));
        foreach (var vocab in new[] { "bytes", "words:200" })
        {
            var streams = cache.Load(folder, vocab);
            var train = Docs("0", 700).Concat(Docs("1", 900)).ToList();
            var tokenizer = Vocabularies.Create(vocab, train);
            Assert.Equal(tokenizer.Encode(train), streams.Train.ToArray());                  // 1,600 documents in 4 chunks
            Assert.Equal(tokenizer.Encode(Docs("2", 300)), streams.Eval.ToArray());
            Assert.Equal(Path.GetFullPath(folder), streams.Source);
            Assert.NotNull(cache.TryRead(folder, vocab));                                        // and the file is there
        }
    }

    [Fact]
    public void AnEmptyHeldOutShardIsRefusedNamingIt()
    {
        var folder = Folder();
        WriteText(Path.Combine(folder, "part-0.txt"), Docs("0", 100));
        File.WriteAllText(Path.Combine(folder, "part-1.txt"), "\n\n");
        var cache = new TokenStreamCache(Path.Combine(Folder(), "cache"));
        Assert.Contains("part-1.txt", Assert.Throws<DataException>(() => cache.Load(folder, "bytes")).Message);
    }
}
