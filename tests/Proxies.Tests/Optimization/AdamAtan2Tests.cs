using Proxies.Model;
using Proxies.Optimization;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Proxies.Tests.Optimization;

/// <summary>Adam-atan2 (Everett et al. 2024): Δ = a·atan2(m̂, b·√v̂), no ε.</summary>
public class AdamAtan2Tests : TorchTest
{
    static float[] TwoSteps(float[] g1, float[] g2, bool atan2, double scale = 1, double eps = 1e-8)
    {
        var p = new Parameter(zeros(g1.Length));
        using var opt = new AdamW([new ParameterGroup("w", p, ParameterKind.Linear, 1, 1)], 0.9, 0.95, eps, 0) { Atan2 = atan2 };
        p.grad = tensor(g1.Select(x => (float)(x * scale)).ToArray());
        opt.Step(0.1, 1);
        p.grad = tensor(g2.Select(x => (float)(x * scale)).ToArray());
        opt.Step(0.1, 1);
        return p.data<float>().ToArray();
    }

    [Fact]
    public void TwoStepsMatchAFloat64Reference()
    {
        float[] g1 = [1f, -2f, 0.5f, 0f], g2 = [0.3f, 1f, -4f, 0f];
        var expected = new double[4];
        for (int i = 0; i < 4; i++)
        {
            double m = 0, v = 0, theta = 0;
            foreach (var (g, t) in new[] { ((double)g1[i], 1), ((double)g2[i], 2) })
            {
                m = 0.9 * m + 0.1 * g; v = 0.95 * v + 0.05 * g * g;
                double mHat = m / (1 - Math.Pow(0.9, t)), vHat = v / (1 - Math.Pow(0.95, t));
                theta -= 0.1 * 1.27 * Math.Atan2(mHat, 1.0 * Math.Sqrt(vHat));
            }
            expected[i] = theta;
        }
        var got = TwoSteps(g1, g2, atan2: true);
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], got[i], 5);
        Assert.Equal(0f, got[3]);   // atan2(0, 0) = 0: a coordinate without gradient does not move
    }

    [Fact]
    public void TheUpdateDoesNotDependOnTheGradientsScaleWhileAdamWsDoes()
    {
        float[] g1 = [1f, -2f, 0.5f], g2 = [0.3f, 1f, -4f];
        var unit = TwoSteps(g1, g2, atan2: true);
        foreach (var scale in new[] { 1e-9, 1e6 })
        {
            var scaled = TwoSteps(g1, g2, atan2: true, scale);
            for (int i = 0; i < 3; i++) Assert.Equal(unit[i], scaled[i], 5);
        }
        // AdamW's ε takes over when gradients are as small as ε: the same gradients scaled by 1e-9 barely move the weights.
        var adamw = TwoSteps(g1, g2, atan2: false, 1e-9);
        Assert.True(Math.Abs(adamw[0]) < 0.5 * Math.Abs(TwoSteps(g1, g2, atan2: false)[0]));
    }
}
