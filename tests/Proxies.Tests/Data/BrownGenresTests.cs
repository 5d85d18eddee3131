using Proxies.Data;

namespace Proxies.Tests.Data;

public class BrownGenresTests
{
    [Fact]
    public void GenresSelectTheirSamplesAndSplitTheCorpus()
    {
        var nonFiction = BrownGenres.Load("brown:abcdefghj");
        var fiction = BrownGenres.Load("brown:klmnpr");
        Assert.Equal(374, nonFiction.Documents.Count);
        Assert.Equal(126, fiction.Documents.Count);
        var all = TextCorpus.Load(TextCorpus.DefaultPath).Documents;
        Assert.Equal(all, nonFiction.Documents.Concat(fiction.Documents));
        // The first sample of press reportage (ca01) and of general fiction (ck01).
        Assert.StartsWith("The Fulton County Grand Jury", nonFiction.Documents[0]);
        Assert.Equal(all[374], fiction.Documents[0]);
        Assert.Equal(6, BrownGenres.Load("brown:m").Documents.Count);   // science fiction
    }

    [Theory]
    [InlineData("brown:", "names no genre")]
    [InlineData("brown:aiz", "iz")]
    public void BadSpecsAreRefusedWithTheGenres(string spec, string words)
    {
        var error = BrownGenres.Check(spec)!;
        foreach (var w in words.Split(", ")) Assert.Contains(w, error);
    }
}
