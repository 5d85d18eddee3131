using Proxies.Model;
using Proxies.Optimization;
using Proxies.Training.Hooks;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace Proxies.Tests.Optimization;

public class AdamWTests : TorchTest
{
    // Two steps on θ = (1, −2) with gradients g1 = (0.5, −1), g2 = (0.1, 0.3); η = 0.1, s = (0.5, 1), λ = 0.01,
    // β = (0.9, 0.95), ε = 1e-8. Reference computed here in float64, line by line from the formulas.
    static double[] Reference(WeightDecayMode mode, double lrMultiplier)
    {
        double[] theta = { 1, -2 }, m = { 0, 0 }, v = { 0, 0 };
        double[][] grads = { new[] { 0.5, -1.0 }, new[] { 0.1, 0.3 } };
        double[] s = { 0.5, 1.0 };
        const double eta = 0.1, lambda = 0.01, b1 = 0.9, b2 = 0.95, eps = 1e-8;
        for (int t = 1; t <= 2; t++)
            for (int i = 0; i < 2; i++)
            {
                double g = grads[t - 1][i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double delta = m[i] / (1 - Math.Pow(b1, t)) / (Math.Sqrt(v[i] / (1 - Math.Pow(b2, t))) + eps);
                double st = s[t - 1], lr = eta * lrMultiplier;
                theta[i] = mode == WeightDecayMode.Independent
                    ? theta[i] - st * (lr * delta + lambda * theta[i])
                    : theta[i] - st * lr * (delta + lambda * theta[i]);
            }
        return theta;
    }

    static double[] Run(WeightDecayMode mode, double lrMultiplier, ParameterKind kind = ParameterKind.Linear)
    {
        var p = new Parameter(tensor(new float[] { 1, -2 }));
        var group = new ParameterGroup("w", p, kind, 2, lrMultiplier);
        using var opt = new AdamW(new[] { group }, 0.9, 0.95, 1e-8, 0.01, mode);
        float[][] grads = { new[] { 0.5f, -1f }, new[] { 0.1f, 0.3f } };
        double[] s = { 0.5, 1.0 };
        for (int t = 0; t < 2; t++)
        {
            p.grad = tensor(grads[t]);
            opt.Step(0.1, s[t]);
        }
        return p.data<float>().Select(x => (double)x).ToArray();
    }

    [Theory]
    [InlineData(WeightDecayMode.Independent, 1.0)]
    [InlineData(WeightDecayMode.Coupled, 1.0)]
    [InlineData(WeightDecayMode.Independent, 0.25)]
    [InlineData(WeightDecayMode.Coupled, 0.25)]
    public void TwoStepsMatchFloat64Reference(WeightDecayMode mode, double lrMultiplier)
    {
        var expected = Reference(mode, lrMultiplier);
        var actual = Run(mode, lrMultiplier);
        Assert.Equal(expected[0], actual[0], 6);
        Assert.Equal(expected[1], actual[1], 6);
    }

    [Fact]
    public void TheUnscaledUpdateIsAdamsRatioAndItsRmsTheProbesValue()
    {
        // Second step of the reference above: Δ = m̂/(√v̂ + ε) per coordinate (Molybog's r), the update before η and
        // decay; update_rms is √(mean Δ²).
        double[][] grads = { new[] { 0.5, -1.0 }, new[] { 0.1, 0.3 } };
        var expected = new double[2];
        for (int i = 0; i < 2; i++)
        {
            double m = 0.1 * 0.9 * grads[0][i] + 0.1 * grads[1][i], v = 0.05 * 0.95 * grads[0][i] * grads[0][i] + 0.05 * grads[1][i] * grads[1][i];
            expected[i] = m / (1 - 0.81) / (Math.Sqrt(v / (1 - 0.9025)) + 1e-8);
        }
        var p = new Parameter(tensor(new float[] { 1, -2 }));
        using var opt = new AdamW(new[] { new ParameterGroup("w", p, ParameterKind.Linear, 2, 1) }, 0.9, 0.95, 1e-8, 0.01);
        var updates = new Tensor[1];
        foreach (var g in grads)
        {
            p.grad = tensor(g.Select(x => (float)x).ToArray());
            opt.Step(0.1, 1, updates);
        }
        var delta = updates[0].data<float>().ToArray();
        Assert.Equal(expected[0], delta[0], 5);
        Assert.Equal(expected[1], delta[1], 5);
        Assert.Equal(Math.Sqrt((expected[0] * expected[0] + expected[1] * expected[1]) / 2), Proxies.Probes.LayerStatistics.Rms(updates[0]).item<float>(), 5);
    }

    [Fact]
    public void RatioStatisticsCountSignLikeUpdatesAndEpsilonDominatedCoordinates()
    {
        // First step, g = (1, −1, 1e-12, 0), ε = 1e-8: Δ = g/(|g| + ε) = (≈1, ≈−1, ≈1e-4, 0) → |r| > 0.9 for 2 of 4;
        // √v̂ = |g| = (1, 1, 1e-12, 0) → below ε for 2 of 4.
        var p = new Parameter(zeros(4));
        using var opt = new AdamW(new[] { new ParameterGroup("w", p, ParameterKind.Linear, 4, 1) }, 0.9, 0.95, 1e-8, 0);
        p.grad = tensor(new float[] { 1, -1, 1e-12f, 0 });
        var updates = new Tensor[1];
        opt.Step(0.1, 1, updates);
        var values = opt.Statistics(updates).Read();
        Assert.Equal(0.5, values[AdamW.RatioAboveName("w")], 6);
        Assert.Equal(0.5, values[AdamW.BelowEpsName("w")], 6);
        Assert.DoesNotContain(RatioHistogram.Name("w", 0), values.Keys);

        // The histogram of |r| = (1, 1, ≈1e-4, 0): half in [0, 0.1), half in the last bin [1, ∞) (1/(1 + 1e-8) is 1 in float32).
        var bins = RatioHistogram.Collect(opt.Groups, updates).Read();
        var shares = Enumerable.Range(0, RatioHistogram.BinEdges.Length).Select(b => bins[RatioHistogram.Name("w", b)]).ToArray();
        Assert.Equal(0.5, shares[0], 6);
        Assert.Equal(0.5, shares[^1], 6);
        Assert.Equal(1, shares.Sum(), 6);

        // Among the 3 coordinates that received a gradient (the 0 never did: v = 0): with ε, |r| = (1, 1, ≈1e-4), so 1/3
        // in bin 0; without ε, |m̂/√v̂| = |g|/|g| = 1 for all three, the 1e-12 coordinate a sign step like the others.
        var received = RatioHistogram.Collect(opt.Groups, updates, opt).Read();
        double Share(Func<string, int, string> name, int bin) => received[name("w", bin)];
        Assert.Equal(1.0 / 3, Share(RatioHistogram.ReceivedName, 0), 6);
        Assert.Equal(2.0 / 3, Share(RatioHistogram.ReceivedName, RatioHistogram.BinEdges.Length - 1), 6);
        double nearOne = Share(RatioHistogram.WithoutEpsName, RatioHistogram.BinEdges.Length - 2) + Share(RatioHistogram.WithoutEpsName, RatioHistogram.BinEdges.Length - 1);
        Assert.Equal(1, nearOne, 6);   // 1 up to float32 rounding: in [0.9, 1) or [1, ∞)
        Assert.Equal(0, Share(RatioHistogram.WithoutEpsName, 0), 6);
    }

    [Fact]
    public void AnUpdateOnABinEdgeFallsInTheBinAboveIt()
    {
        // |r| = 0, 0.05, 0.1, 0.55, 0.9, 1.0, 3.0, −0.25: bins [0, 0.1) twice, [0.1, 0.2), [0.5, 0.6), [0.9, 1.0),
        // [1, ∞) twice, and [0.2, 0.3) for the negative update (|r| is binned).
        float[] r = [0, 0.05f, 0.1f, 0.55f, 0.9f, 1.0f, 3.0f, -0.25f];
        var p = new Parameter(zeros(r.Length));
        var shares = RatioHistogram.Collect([new ParameterGroup("w", p, ParameterKind.Linear, r.Length, 1)], [tensor(r)]).Read();
        double[] expected = [2, 1, 1, 0, 0, 1, 0, 0, 0, 1, 2];
        for (int b = 0; b < expected.Length; b++) Assert.Equal(expected[b] / r.Length, shares[RatioHistogram.Name("w", b)], 12);
    }

        [Fact]
    public void IndependentAndCoupledDecayDifferByTheFactorEta()
    {
        // With a zero gradient only decay acts: independent shrinks θ by s·λ, coupled by s·η·λ.
        foreach (var (mode, factor) in new[] { (WeightDecayMode.Independent, 1 - 0.5 * 0.01), (WeightDecayMode.Coupled, 1 - 0.5 * 0.1 * 0.01) })
        {
            var p = new Parameter(tensor(new float[] { 3 }));
            using var opt = new AdamW(new[] { new ParameterGroup("w", p, ParameterKind.Linear, 1, 1) }, weightDecay: 0.01, mode: mode);
            p.grad = zeros(1);
            opt.Step(0.1, 0.5);
            Assert.Equal(3 * factor, p.data<float>()[0], 6);
        }
    }

    [Fact]
    public void GainsAreNotDecayed()
    {
        var p = new Parameter(tensor(new float[] { 3 }));
        using var opt = new AdamW(new[] { new ParameterGroup("ln", p, ParameterKind.Gain, 1, 1) }, weightDecay: 0.5);
        p.grad = zeros(1);
        opt.Step(0.1, 1);
        Assert.Equal(3f, p.data<float>()[0]);
    }

    [Fact]
    public void TinyEpsilonIsHonouredWhenGradientsAreTiny()
    {
        // Gradient RMS 1e-12: with ε = 1e-15 the first step is ≈ sign(g)·η; with ε = 1e-6 it collapses to ≈ η·1e-6.
        foreach (var (eps, expected) in new[] { (1e-15, 0.1 / (1 + 1e-3)), (1e-6, 0.1 * 1e-12 / (1e-12 + 1e-6)) })
        {
            var p = new Parameter(zeros(1));
            using var opt = new AdamW(new[] { new ParameterGroup("w", p, ParameterKind.Linear, 1, 1) }, eps: eps, weightDecay: 0);
            p.grad = tensor(new float[] { 1e-12f });
            opt.Step(0.1, 1, new Tensor[1]);
            Assert.Equal(-expected, p.data<float>()[0], expected * 1e-4);
        }
    }

    [Fact]
    public void ClippingScalesTheGlobalNormToTheLimit()
    {
        var a = new Parameter(zeros(2)); var b = new Parameter(zeros(1));
        a.grad = tensor(new float[] { 3, 0 }); b.grad = tensor(new float[] { 4 });    // global norm 5
        var norm = GradientClipping.ClipGlobalNorm(new Tensor[] { a, b }, 1.0);
        Assert.Equal(5f, norm.item<float>(), 5);
        Assert.Equal(0.6f, a.grad.data<float>()[0], 5);
        Assert.Equal(0.8f, b.grad.data<float>()[0], 5);
        GradientClipping.ClipGlobalNorm(new Tensor[] { a, b }, 10.0);                // below the limit: unchanged
        Assert.Equal(0.6f, a.grad.data<float>()[0], 5);
    }
}
