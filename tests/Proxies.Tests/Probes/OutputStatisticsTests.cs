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
        var values = OutputStatistics.Collect(model, hidden).data<float>().ToArray();

        double[] Mean(Tensor m) // mean row, in float64
        {
            var rows = m.data<float>().ToArray();
            return Enumerable.Range(0, 8).Select(j => Enumerable.Range(0, 5).Average(i => (double)rows[i * 8 + j])).ToArray();
        }
        double Norm(double[] v) => Math.Sqrt(v.Sum(x => x * x));
        var mu = Mean(model.HeadWeight);
        var h = hidden.data<float>().Select(x => (double)x).ToArray();
        Assert.Equal(Norm(mu), values[0], 5);                                          // ‖μ‖ of the head
        Assert.Equal(Norm(Mean(model.Embedding)), values[1], 5);                       // ‖μ‖ of the embedding
        Assert.Equal(Norm(h), values[2], 5);                                           // ‖h̄‖
        Assert.Equal(mu.Zip(h, (a, b) => a * b).Sum() / (Norm(mu) * Norm(h)), values[3], 5);   // cos(μ, h̄)
        Assert.Equal(1.0, values[4], 6);                                               // a fresh gain is all ones
    }
}
