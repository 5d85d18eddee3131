using Proxies.Experiments;

namespace Proxies.Tests.Experiments;

public class BigramBaselineTests
{
    [Fact]
    public void HeldOutLossMatchesAHandCount()
    {
        // Train 0 1 0 1 0 2 over V = 3: pairs (0,1)×2, (1,0)×2, (0,2)×1; first-token counts n(0) = 3, n(1) = 2.
        // Held out 0 1 1: p(1|0) = (2 + 1)/(3 + 3) = 1/2, p(1|1) = (0 + 1)/(2 + 3) = 1/5; loss = (ln 2 + ln 5)/2.
        double loss = BigramBaseline.HeldOutLoss([0, 1, 0, 1, 0, 2], [0, 1, 1], vocab: 3);
        Assert.Equal((Math.Log(2) + Math.Log(5)) / 2, loss, 12);
    }

    [Fact]
    public void WithoutTrainingDataItIsTheUniformLoss() =>
        Assert.Equal(Math.Log(256), BigramBaseline.HeldOutLoss([], [5, 9, 200], vocab: 256), 12);
}
