using Proxies.Data;
using Proxies.Losses;
using Proxies.Model;
using Proxies.Optimization;
using Proxies.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Proxies.Runtime;

namespace Proxies.Tests.Losses;

public class OutputLogitFixesTests : TorchTest
{
    // A 3-word head in 2 dimensions: rows e_0 = (1, 2), e_1 = (−3, 0.5), e_2 = (0.5, 1); μ = (−0.5, 7/6).
    static readonly double[,] E = { { 1, 2 }, { -3, 0.5 }, { 0.5, 1 } };
    static Tensor Head() => tensor(new float[] { 1, 2, -3, 0.5f, 0.5f, 1 }).reshape(3, 2);

    [Fact]
    public void MuLossValueAndGradientMatchFloat64()
    {
        double mu0 = (E[0, 0] + E[1, 0] + E[2, 0]) / 3, mu1 = (E[0, 1] + E[1, 1] + E[2, 1]) / 3;
        var head = Head().requires_grad_();
        var loss = OutputLogitFixes.MuLoss(head, 1e-2);
        Assert.Equal(1e-2 * (mu0 * mu0 + mu1 * mu1), loss.item<float>(), 6);
        loss.backward();
        var g = head.grad!.data<float>().ToArray();
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(2 * 1e-2 * mu0 / 3, g[2 * j], 6);     // ∂(c‖μ‖²)/∂e_j = 2c·μ/V for every row
            Assert.Equal(2 * 1e-2 * mu1 / 3, g[2 * j + 1], 6);
        }
    }

    [Fact]
    public void SoftCapValueAndGradientMatchFloat64()
    {
        double[] y = { -100, -3, 0, 0.5, 29, 400 };
        const double cap = 30;
        var logits = tensor(y.Select(v => (float)v).ToArray()).requires_grad_();
        var capped = OutputLogitFixes.SoftCap(logits, cap);
        capped.sum().backward();
        var values = capped.data<float>().ToArray();
        var grads = logits.grad!.data<float>().ToArray();
        for (int i = 0; i < y.Length; i++)
        {
            double t = Math.Tanh(y[i] / cap);
            Assert.Equal(cap * t, values[i], 4);
            Assert.Equal(1 - t * t, grads[i], 5);                  // d/dy C·tanh(y/C) = 1 − tanh²(y/C)
        }
        Assert.True(values.All(v => Math.Abs(v) <= cap));
    }

    [Fact]
    public void MuCenteringLeavesEverySoftmaxProbabilityUnchangedAndZeroesMu()
    {
        manual_seed(2);
        var head = randn(50, 8).Plus(3);                               // a large common component
        var h = randn(6, 8);
        var before = F.softmax(F.linear(h, head), 1);
        OutputLogitFixes.CenterHead(head);
        var after = F.softmax(F.linear(h, head), 1);
        Assert.True((before - after).abs().max().item<float>() < 1e-6);
        Assert.True(OutputLogitFixes.Mu(head).norm().item<float>() < 1e-5);
    }

    /// <summary>A few real steps on Brown bytes with plain cross-entropy, no weight decay: the mean head row μ.</summary>
    static (double Before, double After) MuOverSteps(OptimizerKind optimizer)
    {
        var config = new TrainConfig { ZLoss = 0, WeightDecay = 0 };
        var streams = TokenStreams.Load(TextCorpus.DefaultPath);
        manual_seed(0);
        using var model = new Transformer(config.Model with { Vocab = streams.Vocab });
        var groups = MuParamGroups.Build(model);
        using IOptimizer opt = optimizer == OptimizerKind.Sgd ? new Sgd(groups) : new AdamW(groups, weightDecay: 0);
        var sampler = new BatchSampler(streams.Train, 8, 64, seed: 0);
        var mu0 = OutputLogitFixes.Mu(model.HeadWeight).detach().clone();
        for (int step = 0; step < 5; step++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = sampler.Next(CPU);
            opt.ZeroGrad();
            LanguageModelLoss.Compute(model.Forward(x), y).CrossEntropy.backward();
            opt.Step(0.1, 1);
        }
        return (mu0.norm().item<float>(), (OutputLogitFixes.Mu(model.HeadWeight) - mu0).norm().item<float>());
    }

    [Fact]
    public void SgdCannotMoveMuButAdamWDoes()
    {
        var (sgdBefore, sgdMoved) = MuOverSteps(OptimizerKind.Sgd);
        Assert.True(sgdMoved < 1e-6 * Math.Max(1, sgdBefore), $"SGD moved μ by {sgdMoved}");   // the CE row gradients sum to zero
        var (_, adamMoved) = MuOverSteps(OptimizerKind.AdamW);
        Assert.True(adamMoved > 0.05, $"AdamW moved μ by only {adamMoved}");
    }

    [Fact]
    public void TiedHeadFixedGainAndSoftcapChangeTheModelAsSaid()
    {
        var c = new ModelConfig { Width = 32, Depth = 1, Heads = 1, TieHead = true, FinalLnGain = FinalLnGain.Fixed, LogitSoftcap = 5 };
        using var model = new Transformer(c);
        var names = model.named_parameters().Select(p => p.name).ToList();
        Assert.DoesNotContain("head", names);
        Assert.DoesNotContain("ln_f", names);
        Assert.Same(model.Embedding, model.HeadWeight);
        Assert.Equal(12L * 32 * 32 + 2 * 32 + 2 * 32, c.NonEmbeddingParams);   // no final gain
        using (no_grad())
        {
            model.Embedding.mul_(LiveScalar.Of(1000));
            var y = model.Forward(randint(0, 256, new long[] { 2, 8 }));
            Assert.True(y.abs().max().item<float>() <= 5f);
        }
    }
}
