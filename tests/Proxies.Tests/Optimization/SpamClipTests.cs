using Proxies.Model;
using Proxies.Optimization;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Proxies.Tests.Optimization;

/// <summary>SPAM's spike-aware clipping (Huang et al. 2025): g ← sign(g)·√(θ·v) where g² > θ·v.</summary>
public class SpamClipTests : TorchTest
{
    static float[] TwoSteps(double theta, float[] g1, float[] g2)
    {
        var p = new Parameter(zeros(g1.Length));
        using var opt = new AdamW([new ParameterGroup("w", p, ParameterKind.Linear, 1, 1)], 0.9, 0.95, 1e-8, 0) { SpikeClip = theta };
        p.grad = tensor(g1);
        opt.Step(0.1, 1);
        p.grad = tensor(g2);
        opt.Step(0.1, 1);
        return p.data<float>().ToArray();
    }

    [Fact]
    public void ACoordinateFarOutsideItsSecondMomentEntersAtTheBoundAndTheOthersAsTheyAre()
    {
        // θ = 4, g1 = (1, 2): after step 1, v = 0.05·g1² = (0.05, 0.2), bounds √(θv) = (0.447, 0.894). g2 = (0.3, −10):
        // the first passes, the second enters as −0.894. Float64 Adam on the clipped gradients is the reference.
        float[] g1 = [1f, 2f], g2 = [0.3f, -10f];
        var expected = new double[2];
        for (int i = 0; i < 2; i++)
        {
            double m = 0, v = 0, theta = 0;
            for (int t = 1; t <= 2; t++)
            {
                double g = t == 1 ? g1[i] : g2[i];
                if (t > 1 && g * g > 4 * v) g = Math.Sign(g) * Math.Sqrt(4 * v);
                m = 0.9 * m + 0.1 * g; v = 0.95 * v + 0.05 * g * g;
                theta -= 0.1 * (m / (1 - Math.Pow(0.9, t))) / (Math.Sqrt(v / (1 - Math.Pow(0.95, t))) + 1e-8);
            }
            expected[i] = theta;
        }
        var got = TwoSteps(4, g1, g2);
        Assert.Equal(expected[0], got[0], 5);
        Assert.Equal(expected[1], got[1], 5);
        // Off, the −10 goes into the moments whole and moves the second coordinate elsewhere.
        Assert.True(Math.Abs(TwoSteps(0, g1, g2)[1] - got[1]) > 1e-2);
        // θ so large that nothing is clipped is AdamW.
        Assert.Equal(TwoSteps(0, g1, g2), TwoSteps(1e9, g1, g2));
    }
}
