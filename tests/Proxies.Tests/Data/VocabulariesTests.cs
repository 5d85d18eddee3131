using Proxies.Data;

namespace Proxies.Tests.Data;

public class VocabulariesTests
{
    [Theory]
    [InlineData("bytes")]
    [InlineData("words:16")]
    [InlineData("words:8192")]
    [InlineData("words:1000000")]
    [InlineData("bpe:258")]
    [InlineData("bpe:32768")]
    [InlineData("bpe:65536")]
    public void AcceptsTheBuiltInVocabularies(string spec) => Assert.Null(Vocabularies.Check(spec));

    [Theory]
    [InlineData("words:15", "words:N needs an integer N from 16 to 1000000")]
    [InlineData("words:1000001", "words:N needs an integer N from 16 to 1000000")]
    [InlineData("words:", "words:N needs an integer N from 16 to 1000000")]
    [InlineData("words:1e3", "words:N needs an integer N from 16 to 1000000")]
    [InlineData("words:-20", "words:N needs an integer N from 16 to 1000000")]
    [InlineData("words: 20", "words:N needs an integer N from 16 to 1000000")]
    [InlineData("bpe:257", "bpe:N needs an integer N from 258 to 65536")]
    [InlineData("bpe:65537", "bpe:N needs an integer N from 258 to 65536")]
    [InlineData("bpe:99999999999", "bpe:N needs an integer N from 258 to 65536")]
    [InlineData("bpe", "must be bytes")]
    [InlineData("chars", "must be bytes")]
    [InlineData("", "must be bytes")]
    [InlineData("/nonexistent/tokenizer.model", "tokenizer file does not exist")]
    [InlineData("/nonexistent/cl100k.tiktoken", "tokenizer file does not exist")]
    public void RefusesOtherSpecsSayingWhy(string spec, string message) => Assert.Contains(message, Vocabularies.Check(spec));

    [Fact]
    public void AllowedNamesEveryChoice()
    {
        foreach (var choice in new[] { "bytes", "words:N", "bpe:N", ".model", ".tiktoken" })
            Assert.Contains(choice, Vocabularies.Allowed);
    }

    [Fact]
    public void AnExistingFileOfAnotherKindIsRefusedAsATokenizerFile()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("proxies-vocab-").FullName, "tokenizer.json");
        File.WriteAllText(path, "{}");
        Assert.Contains("SentencePiece .model or a tiktoken .tiktoken", Vocabularies.Check(path));
    }

    [Fact]
    public void CreatesTheTokenizerOfEachSpec()
    {
        string[] documents = ["the cat sat on the mat", "a dog barked at the cat"];
        Assert.IsType<ByteTokenizer>(Vocabularies.Create("bytes", documents));
        var words = Assert.IsType<WordTokenizer>(Vocabularies.Create("words:16", documents));
        Assert.Equal(("words:16", 11), (words.Spec, words.VocabSize));
        var bpe = Assert.IsType<ByteBpeTokenizer>(Vocabularies.Create("bpe:270", documents));
        Assert.Equal("bpe:270", bpe.Spec);
        Assert.StartsWith(CacheFolder.Default, bpe.Folder);
        Assert.Throws<ArgumentException>(() => Vocabularies.Create("words:2", documents));
    }
}
