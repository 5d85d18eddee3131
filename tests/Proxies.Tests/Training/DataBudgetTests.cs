using Proxies.Data;
using Proxies.Experiments;
using Proxies.Training;

namespace Proxies.Tests.Training;

public class DataBudgetTests
{
    [Fact]
    public void ARunReadsStepsTimesBatchTimesSequenceTokens()
    {
        var config = new TrainConfig { Steps = 100_000, BatchSize = 256, Model = new Proxies.Model.ModelConfig { SeqLen = 512 } };
        Assert.Equal(13_107_200_000L, DataBudget.Tokens(config));               // the paper's 1.3·10¹⁰
    }

    [Fact]
    public void ThePaperProfileOnTheShippedCorpusIsRefusedUnlessRepeatsAreAsked()
    {
        var paper = Catalog.Find("lr-sensitivity").Runs(Profile.Paper);
        var budget = Assert.Single(DataBudget.Of(paper));
        long corpus = TokenStreams.Load(TextCorpus.DefaultPath).Train.Length;
        Assert.Equal(corpus, budget.CorpusTokens);
        Assert.Equal(13_107_200_000.0 / corpus, budget.Epochs, 9);
        Assert.InRange(budget.Epochs, 2000, 3000);
        var refusal = Assert.Throws<InvalidConfigException>(() => DataBudget.Ensure(paper, repeatAllowed: false));
        Assert.Equal("--data", Assert.Single(refusal.Errors).Flag);
        Assert.Contains("--repeat-data", refusal.Message);
        Assert.Single(DataBudget.Ensure(paper, repeatAllowed: true));
        // Every quick sweep reads the corpus less than once per run, but for notebook 10's long run (Molybog et al.'s
        // regime: 6,000 steps, 2.2 passes), within the limit.
        foreach (var e in Catalog.All)
            Assert.All(DataBudget.Ensure(e.Runs(Profile.Quick), repeatAllowed: false), b => Assert.True(b.Epochs < 1 || e.Name == "adam-precursors", $"{e.Name}: {b}"));
    }
}
