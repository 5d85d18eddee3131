using Proxies.Data;

namespace Proxies.Tests.Data;

public class WordTokenizerTests
{
    static readonly string[] Corpus = ["the cat sat on the mat.", "the dog's bone, the cat's toy!"];

    [Fact]
    public void KeepsTheMostFrequentTokensWithTiesInOrdinalOrderThenUnknownAndEndOfDocument()
    {
        // "the" occurs 4 times; the other 11 tokens once each, so ordinal order picks "!", ",", "." (0x21, 0x2C, 0x2E).
        var words = new WordTokenizer(6, Corpus);
        Assert.Equal(["the", "!", ",", ".", "<unk>", "<eos>"], words.Tokens);
        Assert.Equal(6, words.VocabSize);
        Assert.Equal((4, 5), (words.UnknownId, words.EndOfDocumentId));
        Assert.Equal("words:6", words.Spec);
    }

    [Fact]
    public void EncodesWordsAndPunctuationWithUnknownsAndAnEndOfDocumentTokenAfterEachDocument()
    {
        var words = new WordTokenizer(6, Corpus);
        // "cat", "sat" and "Dog" (case is kept) are not among the kept tokens.
        Assert.Equal([0, 4, 4, 3, 5, 4, 2, 0, 1, 5], words.Encode(["the cat sat.", "Dog, the!"]));
    }

    [Fact]
    public void KeepsApostropheSuffixesOnTheWordAndDropsWhitespace()
    {
        var words = new WordTokenizer(100, Corpus);
        Assert.Contains("dog's", words.Tokens);
        Assert.Contains("cat's", words.Tokens);
        Assert.DoesNotContain(words.Tokens, t => t.Any(char.IsWhiteSpace));
        // 12 distinct tokens + <unk> + <eos>: a vocabulary is never padded with ids no text can produce.
        Assert.Equal(14, words.VocabSize);
    }

    [Fact]
    public void VocabularyDoesNotDependOnDocumentOrder() =>
        Assert.Equal(new WordTokenizer(8, Corpus).Tokens, new WordTokenizer(8, Corpus.Reverse()).Tokens);
}
