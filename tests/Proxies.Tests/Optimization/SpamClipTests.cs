using Proxies.Model;
using Proxies.Optimization;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Proxies.Tests.Optimization;

/// <summary>SPAM's spike-aware clipping (Huang et al. 2025): from step 20, g ← sign(g)·√(θ·v) where g² > θ·v and v > 0.</summary>
public class SpamClipTests : TorchTest
{
    // 19 steps of g0, then one step of the spike: coordinate 0 stays under its bound, coordinate 1 is far above it,
    // coordinate 2 never had a gradient (v = 0) and passes.
    static readonly float[] G0 = [1f, 2f, 0f], Spike = [1.5f, -10f, 5f];

    static float[] Run(double theta)
    {
        var p = new Parameter(zeros(3));
        using var opt = new AdamW([new ParameterGroup("w", p, ParameterKind.Linear, 1, 1)], 0.9, 0.95, 1e-8, 0) { SpikeClip = theta };
        for (int t = 1; t <= AdamW.SpikeClipFrom; t++)
        {
            p.grad = tensor(t < AdamW.SpikeClipFrom ? G0 : Spike);
            opt.Step(0.1, 1);
        }
        return p.data<float>().ToArray();
    }

    [Fact]
    public void ACoordinateFarOutsideItsSecondMomentEntersAtTheBoundAndTheOthersAsTheyAre()
    {
        // θ = 4. After 19 steps of g0, v = (1 − 0.95¹⁹)·g0² ≈ 0.623·g0², bounds √(θv) ≈ (1.58, 3.16, 0): at step 20,
        // 1.5 passes, −10 enters as −3.16, and 5 passes because its v is 0. Float64 Adam with the rule written out is
        // the reference.
        var expected = new double[3];
        for (int i = 0; i < 3; i++)
        {
            double m = 0, v = 0, theta = 0;
            for (int t = 1; t <= 20; t++)
            {
                double g = t < 20 ? G0[i] : Spike[i];
                if (t >= 20 && v > 0 && g * g > 4 * v) g = Math.Sign(g) * Math.Sqrt(4 * v);
                m = 0.9 * m + 0.1 * g; v = 0.95 * v + 0.05 * g * g;
                theta -= 0.1 * (m / (1 - Math.Pow(0.9, t))) / (Math.Sqrt(v / (1 - Math.Pow(0.95, t))) + 1e-8);
            }
            expected[i] = theta;
        }
        var got = Run(4);
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], got[i], 5);
        // Off, the −10 goes into the moments whole and moves the second coordinate elsewhere.
        Assert.True(Math.Abs(Run(0)[1] - got[1]) > 1e-2);
        // θ so large that nothing is clipped is AdamW.
        Assert.Equal(Run(0), Run(1e9));
    }

    [Fact]
    public void TheSwitchReachesTheOptimizerOfARun()
    {
        // The config's θ must arrive in the AdamW a run trains with: an unwired switch would pass every test above.
        using var state = new Proxies.Training.TrainState(new Proxies.Training.TrainConfig { SpikeClip = 5000, Model = new ModelConfig { Width = 16, Depth = 1, Heads = 1, SeqLen = 8 } }, CPU);
        Assert.Equal(5000, Assert.IsType<AdamW>(state.Optimizer).SpikeClip);
    }
}
