using System.Text;
using Proxies.Data;

namespace Proxies.Tests.Data;

public class BpeTrainerTests
{
    // Sennrich et al.'s example with GPT-2's leading spaces: "low" ×1, " low" ×4, " lower" ×2, " newest" ×6, " widest" ×3.
    static readonly (byte[], long)[] Words =
        [.. new (string, long)[] { ("low", 1), (" low", 4), (" lower", 2), (" newest", 6), (" widest", 3) }
            .Select(w => (Encoding.UTF8.GetBytes(w.Item1), w.Item2))];

    static string[] MergedTexts(BpeMerges learned) =>
        [.. learned.Merges.Select(m => Encoding.UTF8.GetString([.. learned.Tokens[m.Left], .. learned.Tokens[m.Right]]))];

    [Fact]
    public void LearnsTheFirstMergesComputedByHand()
    {
        // By hand: "es" and "st" both occur 9 times, the tie goes to the smaller left byte ('e' < 's'); then "es"+"t"
        // (9); "lo" and "ow" tie at 7 ('l' < 'o'); "lo"+"w" (7); then five pairs at 6, the smallest ids first:
        // (' ', 'n') before (' ', "low") because 'n' (110) < "low" (259), then (' ', "low").
        var learned = BpeTrainer.Learn(Words, 256 + 6);
        Assert.Equal(["es", "est", "lo", "low", " n", " low"], MergedTexts(learned));
        Assert.Equal(262, learned.Tokens.Count);
        Assert.Equal((256, (int)'t'), learned.Merges[1]);
    }

    [Fact]
    public void ResultDoesNotDependOnWordOrder() =>
        Assert.Equal(MergedTexts(BpeTrainer.Learn(Words, 280)), MergedTexts(BpeTrainer.Learn(Words.Reverse(), 280)));

    [Fact]
    public void StopsWhenNoPairIsLeft()
    {
        // Every word ends up one token: " newest", " widest", " lower", " low" and "low" are 5 of the new tokens.
        var learned = BpeTrainer.Learn(Words, 1000);
        Assert.True(learned.Tokens.Count < 1000);
        foreach (var (word, _) in Words) Assert.Contains(learned.Tokens, t => t.AsSpan().SequenceEqual(word));
    }
}
