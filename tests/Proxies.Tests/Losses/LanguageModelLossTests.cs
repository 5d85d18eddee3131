using Proxies.Losses;
using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Tests.Losses;

public class LanguageModelLossTests : TorchTest
{
    [Fact]
    public void CrossEntropyAndZLossMatchFloat64Reference()
    {
        // Two tokens, vocabulary 3. log Z = log Σ exp y; CE = mean(log Z − y_target); z = mean((log Z)²).
        double[][] y = { new[] { 1.0, 2.0, 3.0 }, new[] { -1.0, 0.5, 10.0 } };
        int[] targets = { 0, 2 };
        double[] logZ = y.Select(r => Math.Log(r.Sum(Math.Exp))).ToArray();
        double ce = (logZ[0] - y[0][0] + logZ[1] - y[1][2]) / 2;
        double z = (logZ[0] * logZ[0] + logZ[1] * logZ[1]) / 2;

        var logits = tensor(y.SelectMany(r => r.Select(v => (float)v)).ToArray()).reshape(1, 2, 3);
        var terms = LanguageModelLoss.Compute(logits, tensor(new long[] { 0, 2 }).reshape(1, 2));
        Assert.Equal(ce, terms.CrossEntropy.item<float>(), 5);
        Assert.Equal(z, terms.ZLoss.item<float>(), 4);
        Assert.Equal(1e-4 * z, terms.ZLossTerm(1e-4).item<float>(), 7);
        var stats = terms.Statistics().Read();
        Assert.Equal(new[] { "loss", "z_loss", "output_logit_mean", "log_z", "logit_std" }, stats.Keys);
        Assert.Equal(ce, stats["loss"], 5);
        Assert.Equal(y.SelectMany(r => r).Average(), stats["output_logit_mean"], 5);
        Assert.Equal((logZ[0] + logZ[1]) / 2, stats["log_z"], 5);
        // per-token std over the vocabulary (unbiased, as torch.std), averaged over tokens
        double Std(double[] r) => Math.Sqrt(r.Sum(v => (v - r.Average()) * (v - r.Average())) / (r.Length - 1));
        Assert.Equal((Std(y[0]) + Std(y[1])) / 2, stats["logit_std"], 5);
    }

    [Fact]
    public void ZLossGradientIsTwoCoefLogZTimesSoftmax()
    {
        // d/dy [c·(log Z)²] = 2c·log Z·softmax(y), added to the CE gradient softmax(y) − onehot.
        var y = tensor(new float[] { 1, 2, 3 }).reshape(1, 1, 3).requires_grad_();
        var terms = LanguageModelLoss.Compute(y, tensor(new long[] { 1 }).reshape(1, 1));
        terms.CrossEntropy.Plus(terms.ZLossTerm(0.5)).backward();
        double logZ = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3));
        var grad = y.grad!.data<float>().ToArray();
        for (int j = 0; j < 3; j++)
        {
            double p = Math.Exp(j + 1 - logZ);
            Assert.Equal(p - (j == 1 ? 1 : 0) + 2 * 0.5 * logZ * p, grad[j], 5);
        }
    }
}
