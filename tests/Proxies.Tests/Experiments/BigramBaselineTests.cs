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
        // A stream longer than one read chunk (2²⁰ tokens): the pair that straddles each boundary must count. Train is
        // 0 1 0 1 …, so every 0 is followed by 1; held out, (0,1) has probability (n(0) + 1)/(n(0) + 2) with α = 1, V = 2.
        var train = Enumerable.Range(0, 3 << 20).Select(i => i % 2).ToArray();
        long zeros = train.Length / 2;
        double expected = -Math.Log((zeros + 1.0) / (zeros + 2.0));
        Assert.Equal(expected, BigramBaseline.HeldOutLoss(train, new[] { 0, 1 }, vocab: 2), 15);
    }
}
