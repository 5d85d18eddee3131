using Proxies.Experiments;

namespace Proxies.Tests.Experiments;

public class BigramBaselineTests
{
    [Fact]
    public void HeldOutLossMatchesAHandCount()
    {
        // Train 0 1 0 1 0 2 over V = 3: pairs (0,1)×2, (1,0)×2, (0,2)×1; first-token counts n(0) = 3, n(1) = 2.
        // Held out 0 1 1: p(1|0) = (2 + 1)/(3 + 3) = 1/2, p(1|1) = (0 + 1)/(2 + 3) = 1/5; loss = (ln 2 + ln 5)/2.
        double loss = BigramBaseline.HeldOutLoss(new[] { 0, 1, 0, 1, 0, 2 }, new[] { 0, 1, 1 }, vocab: 3);
        Assert.Equal((Math.Log(2) + Math.Log(5)) / 2, loss, 12);
    }

    [Fact]
    public void WithoutTrainingDataItIsTheUniformLoss() =>
        Assert.Equal(Math.Log(256), BigramBaseline.HeldOutLoss(Array.Empty<int>(), new[] { 5, 9, 200 }, vocab: 256), 12);

    [Fact]
    public void PairsAcrossChunkBoundariesCount()
    {
        // A stream of three read chunks (2²⁰ tokens each) against the same count done in one loop over the array:
        // dropping the two pairs that straddle the chunk boundaries would move the loss by about 1e-7.
        var random = new Random(11);
        var train = Enumerable.Range(0, 3 << 20).Select(_ => random.Next(4)).ToArray();
        int[] eval = [train[(1 << 20) - 1], train[1 << 20], train[(2 << 20) - 1], train[2 << 20], 3, 0];
        var pairs = new long[4, 4];
        var firsts = new long[4];
        for (int i = 0; i + 1 < train.Length; i++) { pairs[train[i], train[i + 1]]++; firsts[train[i]]++; }
        double expected = 0;
        for (int i = 0; i + 1 < eval.Length; i++) expected -= Math.Log((pairs[eval[i], eval[i + 1]] + 1.0) / (firsts[eval[i]] + 4.0));
        expected /= eval.Length - 1;
        Assert.Equal(expected, BigramBaseline.HeldOutLoss(train, eval, vocab: 4), 12);
    }
}
