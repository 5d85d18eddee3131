using System.Text;
using Proxies.Data;

namespace Proxies.Tests.Data;

public class TokenStreamCacheTests
{
    /// <summary>A corpus of 40 small documents (the held-out split needs 20) in a fresh folder, and a fresh cache folder.</summary>
    static (string Data, TokenStreamCache Cache) Setup()
    {
        var folder = Directory.CreateTempSubdirectory("proxies-cache-test-").FullName;
        var data = Path.Combine(folder, "corpus.txt");
        File.WriteAllText(data, string.Join("\n\n", Enumerable.Range(0, 40).Select(i => $"Document {i}: the cat sat on mat number {i * 7}.")));
        return (data, new TokenStreamCache(Path.Combine(folder, "cache")));
    }

    static void AssertSame(TokenStreams expected, TokenStreams actual)
    {
        Assert.Equal(expected.Train.ToArray(), actual.Train.ToArray());
        Assert.Equal(expected.Eval.ToArray(), actual.Eval.ToArray());
        Assert.Equal((expected.Vocab, expected.Source, expected.VocabSpec), (actual.Vocab, actual.Source, actual.VocabSpec));
    }

    [Fact]
    public void FirstLoadWritesTheFileAndTheNextLoadReadsIt()
    {
        var (data, cache) = Setup();
        var built = cache.Load(data, "words:64");
        var file = cache.PathFor(data, "words:64");
        Assert.True(File.Exists(file));
        AssertSame(TokenStreams.FromCorpus(TextCorpus.Load(data), "words:64"), built);

        // A load that tokenized again would write the file again, and so change its time.
        var old = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(file, old);
        AssertSame(built, cache.Load(data, "words:64"));
        Assert.Equal(old, File.GetLastWriteTimeUtc(file));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("flipped byte")]
    [InlineData("empty")]
    [InlineData("garbage")]
    public void DamagedFileIsAMissAndIsRebuilt(string damage)
    {
        var (data, cache) = Setup();
        var built = cache.Load(data, "bytes");
        built = built with { Train = built.Train.ToArray(), Eval = built.Eval.ToArray() };   // its file is damaged in place below
        var file = cache.PathFor(data, "bytes");
        var bytes = File.ReadAllBytes(file);
        File.Delete(file);   // a new file, as a damaged copy would be: the open one stays intact for the process that reads it
        File.WriteAllBytes(file, damage switch
        {
            "truncated" => bytes[..(bytes.Length / 2)],
            "flipped byte" => [.. bytes[..100], (byte)(bytes[100] ^ 1), .. bytes[101..]],
            "empty" => [],
            _ => [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 31))],
        });
        Assert.Null(cache.TryRead(data, "bytes"));
        AssertSame(built, cache.Load(data, "bytes"));
        Assert.NotNull(cache.TryRead(data, "bytes"));
    }

    [Fact]
    public void AnEditedDataFileOrAnotherVocabularyIsAnotherFile()
    {
        var (data, cache) = Setup();
        var before = cache.PathFor(data, "bytes");
        Assert.NotEqual(before, cache.PathFor(data, "words:64"));
        cache.Load(data, "bytes");
        File.AppendAllText(data, "\n\nOne more document.");
        Assert.NotEqual(before, cache.PathFor(data, "bytes"));
        Assert.Null(cache.TryRead(data, "bytes"));
        var train = cache.Load(data, "bytes").Train.ToArray();
        Assert.Contains("One more document.", Encoding.UTF8.GetString([.. train.Select(b => (byte)b)]));
    }

    [Fact]
    public void AFolderThatCannotBeWrittenOnlyMeansNoCaching()
    {
        var (data, _) = Setup();
        // A cache folder below a plain file cannot be created, even by root.
        var blocked = new TokenStreamCache(Path.Combine(data, "cache"));
        var streams = blocked.Load(data, "bytes");
        Assert.Equal(TokenStreams.FromCorpus(TextCorpus.Load(data), "bytes").Train.ToArray(), streams.Train.ToArray());
        Assert.False(blocked.TryWrite(streams));
        Assert.Null(blocked.TryRead(data, "bytes"));
    }

    [Fact]
    public void DefaultFolderFollowsTheEnvironmentVariable()
    {
        var saved = Environment.GetEnvironmentVariable(CacheFolder.Variable);
        try
        {
            Environment.SetEnvironmentVariable(CacheFolder.Variable, "/tmp/proxies-cache-elsewhere");
            Assert.Equal("/tmp/proxies-cache-elsewhere", CacheFolder.Default);
            Environment.SetEnvironmentVariable(CacheFolder.Variable, null);
            Assert.EndsWith(Path.Combine(".cache", "proxies"), CacheFolder.Default);
        }
        finally { Environment.SetEnvironmentVariable(CacheFolder.Variable, saved); }
    }
}
