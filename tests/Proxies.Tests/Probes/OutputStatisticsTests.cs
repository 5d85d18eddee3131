using Proxies.Model;
using Proxies.Probes;
using static TorchSharp.torch;

namespace Proxies.Tests.Probes;

public class OutputStatisticsTests : TorchTest
{
    [Fact]
    public void MuNormsHiddenNormCosineAndGainMatchFloat64()
    {
        manual_seed(4);
        using var model = new Transformer(new ModelConfig { Width = 8, Depth = 1, Heads = 1, Vocab = 5 });
        var hidden = tensor(new float[] { 1, -2, 0.5f, 3, 0, 1, -1, 2 });
        var values = OutputStatistics.Collect(model, hidden).Read();

        double[] Mean(Tensor m) // mean row, in float64
        {
            var rows = m.data<float>().ToArray();
            return Enumerable.Range(0, 8).Select(j => Enumerable.Range(0, 5).Average(i => (double)rows[i * 8 + j])).ToArray();
        }
        double Norm(double[] v) => Math.Sqrt(v.Sum(x => x * x));
        var mu = Mean(model.HeadWeight);
        var h = hidden.data<float>().Select(x => (double)x).ToArray();
        Assert.Equal(Norm(mu), values["head_mu_norm"], 5);
        Assert.Equal(Norm(Mean(model.Embedding)), values["embed_mu_norm"], 5);
        Assert.Equal(Norm(h), values["hidden_mean_norm"], 5);                                        // ‖h̄‖
        Assert.Equal(mu.Zip(h, (a, b) => a * b).Sum() / (Norm(mu) * Norm(h)), values["cos_mu_hidden"], 5);   // cos(μ, h̄)
        Assert.Equal(1.0, values["final_ln_gain_rms"], 6);                                           // a fresh gain is all ones
    }
}
