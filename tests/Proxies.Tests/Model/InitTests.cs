using Proxies.Model;
using static TorchSharp.torch;

namespace Proxies.Tests.Model;

public class InitTests : TorchTest
{
    [Fact]
    public void TruncatedStdConstantMatchesFloat64Integral()
    {
        // Var of N(0,1) truncated to ±2 = 1 − 2·2·φ(2)/(Φ(2) − Φ(−2)); φ(2) = e^{−2}/√(2π), Φ(2)−Φ(−2) = erf(√2).
        double phi2 = Math.Exp(-2) / Math.Sqrt(2 * Math.PI);
        double mass = Erf(Math.Sqrt(2));
        double reference = Math.Sqrt(1 - 4 * phi2 / mass);
        Assert.True(Math.Abs(reference - Init.TruncatedStdOfUnitNormal) < 1e-10, $"{reference} vs {Init.TruncatedStdOfUnitNormal}");
    }

    [Theory]
    [InlineData(64)]
    [InlineData(256)]
    public void LinearWeightsHaveStdOneOverSqrtFanInAndAreTruncatedAtTwoSigma(int fanIn)
    {
        manual_seed(0);
        var w = empty(512, fanIn);
        double std = Init.LinearStd(fanIn);
        Init.TruncatedNormal(w, std);
        Assert.Equal(1 / Math.Sqrt(fanIn), std, 12);
        Assert.Equal(std, w.std().item<float>(), std * 0.02);          // 512·fanIn samples: ~1% error
        double bound = 2 * std / Init.TruncatedStdOfUnitNormal;
        Assert.True(w.abs().max().item<float>() <= bound * (1 + 1e-6));
        Assert.True(w.abs().max().item<float>() > 0.95 * bound);       // and the tails reach the bound
    }

    [Fact]
    public void ModelInitialisesEveryTensorAsThePaperSays()
    {
        manual_seed(0);
        var c = new ModelConfig { Width = 128, Depth = 1, Heads = 4, Vocab = 256 };
        using var model = new Transformer(c);
        var p = model.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        Assert.Equal(1 / Math.Sqrt(128), p["embed"].std().item<float>(), 0.004);        // embedding: normal 1/√d
        Assert.Equal(1 / Math.Sqrt(128), p["head"].std().item<float>(), 0.004);
        Assert.Equal(1 / Math.Sqrt(128), p["blocks.0.wqkv"].std().item<float>(), 0.003);
        Assert.Equal(1 / Math.Sqrt(512), p["blocks.0.w2"].std().item<float>(), 0.002);  // fan-in 4d
        Assert.Equal(1.0, p["blocks.0.ln1"].mean().item<float>(), 6);
    }

    [Fact]
    public void MuParamIntermediateHeadStdAndFullZeroQueries()
    {
        var c = new ModelConfig { Width = 512, Heads = 8, MuParam = MuParam.Intermediate, MuParamBaseWidth = 256 };
        Assert.Equal(Math.Sqrt(256) / 512, Init.HeadStd(c), 12);                       // √base / fan_in
        Assert.Equal(1 / Math.Sqrt(512), Init.HeadStd(c with { MuParam = MuParam.Simple }), 12);
        using var model = new Transformer(c with { MuParam = MuParam.Full, Depth = 1, Width = 64, Heads = 2 });
        var wqkv = model.named_parameters().First(x => x.name == "blocks.0.wqkv").parameter;
        Assert.Equal(0.0, wqkv[..64].abs().max().item<float>());                         // queries start at zero
        Assert.True(wqkv[64..].abs().max().item<float>() > 0);
    }

    static double Erf(double x)
    {
        // Series erf(x) = 2/√π Σ (−1)^n x^{2n+1} / (n! (2n+1)), exact to double precision for |x| < 3.
        double sum = 0, term = x;
        for (int n = 0; n < 60; n++) { sum += term / (2 * n + 1); term *= -x * x / (n + 1); }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }
}
