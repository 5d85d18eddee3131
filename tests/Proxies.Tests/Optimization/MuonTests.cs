using Proxies.Model;
using Proxies.Optimization;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Tests.Optimization;

/// <summary>Muon (Jordan et al. 2024): momentum, Newton–Schulz orthogonalisation, Moonlight's update scale.</summary>
public class MuonTests : TorchTest
{
    static Tensor Random(long rows, long cols, ulong seed)
    {
        using var generator = new Generator(seed);
        return randn(rows, cols, generator: generator);
    }

    /// <summary>Five steps of the quintic p(s) = a·s + b·s³ + c·s⁵ on one singular value, with Jordan et al.'s published
    /// coefficients written out here rather than read from the code under test.</summary>
    static double Quintic5(double s)
    {
        for (int i = 0; i < 5; i++) s = 3.4445 * s - 4.7750 * s * s * s + 2.0315 * s * s * s * s * s;
        return s;
    }

    /// <summary>The float64 reference: U · p⁵(Σ/‖G‖_F) · Vᵀ from G's singular value decomposition.</summary>
    static Tensor Reference(Tensor g)
    {
        var g64 = g.to(ScalarType.Float64);
        var (u, s, vh) = linalg.svd(g64, fullMatrices: false);
        double norm = g64.norm().item<double>();
        var mapped = s.data<double>().Select(x => Quintic5(x / norm)).ToArray();
        return u.matmul(diag(tensor(mapped))).matmul(vh);
    }

    static double[] SingularValues(Tensor x) => linalg.svdvals(x.to(ScalarType.Float64)).data<double>().ToArray();

    static double MaxAbsDiff(Tensor a, Tensor b) => (a.to(ScalarType.Float64) - b.to(ScalarType.Float64)).abs().max().item<double>();

    [Theory]
    [InlineData(8, 24)]
    [InlineData(24, 8)]
    public void NewtonSchulzIsTheQuinticOnEverySingularValueAndNearlyOrthogonal(int rows, int cols)
    {
        var g = Random(rows, cols, 7);
        var input = SingularValues(g / g.norm());
        // Every singular value of G/‖G‖_F is above 1% here, where five steps of the quintic land in [0.68, 1.14];
        // the input itself is far from orthogonal, so a pass that did nothing would fail the band below.
        Assert.All(input, s => Assert.True(s > 0.01 && s < 0.6, $"{s}"));
        var o = NewtonSchulz.Orthogonalise(g);
        Assert.True(MaxAbsDiff(o, Reference(g)) < 1e-4, $"{MaxAbsDiff(o, Reference(g))}");
        Assert.All(SingularValues(o), s => Assert.InRange(s, 0.68, 1.14));
        // One step short of five is another matrix: the test sees the iteration count.
        Assert.True(MaxAbsDiff(NewtonSchulz.Orthogonalise(g, NewtonSchulz.Steps - 1), Reference(g)) > 1e-2);
    }

    [Fact]
    public void TwoStepsMatchAFloat64ReferenceWithNesterovMomentumAndTheStatedRms()
    {
        // W (16 × 48) on Muon, a gain on AdamW. Δ_t = 0.2·√48·NS(u_t), u_t = (1−β)g_t + β·m_t, m_t = β·m_{t−1} + (1−β)g_t.
        var w = new Parameter(zeros(16, 48));
        var gain = new Parameter(ones(3));
        using var muon = new Muon([new ParameterGroup("w", w, ParameterKind.Linear, 48, 1), new ParameterGroup("g", gain, ParameterKind.Gain, 1, 1)],
            weightDecay: 0);
        Assert.True(Muon.OnMuon(muon.Groups[0]));
        Assert.False(Muon.OnMuon(muon.Groups[1]));
        var g1 = Random(16, 48, 1); var g2 = Random(16, 48, 2);
        double beta = Muon.Momentum, lr = 0.01, scale = 0.2 * Math.Sqrt(48);
        var m1 = LiveScalar.Of(1 - beta) * g1.to(ScalarType.Float64);
        var u1 = (LiveScalar.Of(1 - beta) * g1.to(ScalarType.Float64)).Plus(LiveScalar.Of(beta) * m1);
        var m2 = (LiveScalar.Of(beta) * m1).Plus(LiveScalar.Of(1 - beta) * g2.to(ScalarType.Float64));
        var u2 = (LiveScalar.Of(1 - beta) * g2.to(ScalarType.Float64)).Plus(LiveScalar.Of(beta) * m2);

        var updates = new Tensor[2];
        w.grad = g1; gain.grad = tensor(new float[] { 1, -2, 0.5f });
        muon.Step(lr, 1, updates);
        var first = Reference(u1) * LiveScalar.Of(scale);
        Assert.True(MaxAbsDiff(w, LiveScalar.Of(-lr) * first) < 1e-6);
        // The stated RMS: 0.2 × the RMS of the orthogonal factor's stand-in, whose singular values lie in [0.68, 1.14].
        double rms = updates[0].Squared().mean().sqrt().item<float>();
        Assert.InRange(rms, 0.2 * 0.68, 0.2 * 1.14);
        // The gain took AdamW's first step, −η·sign(g).
        var gains = gain.data<float>().ToArray();
        Assert.Equal(1 - lr, gains[0], 5);
        Assert.Equal(1 + lr, gains[1], 5);
        Assert.Equal(1 - lr, gains[2], 5);

        w.grad = g2; gain.grad = tensor(new float[] { 1, 1, 1 });
        muon.Step(lr, 1);
        Assert.True(MaxAbsDiff(w, LiveScalar.Of(-lr) * first.Plus(Reference(u2) * LiveScalar.Of(scale))) < 1e-6);
    }

    [Fact]
    public void AStackedParameterIsOrthogonalisedOneMatrixAtATime()
    {
        // wqkv-like: three 8 × 8 matrices stacked along the rows. Each block of Δ is its own matrix's NS, not a slice of
        // the NS of the 24 × 8 whole.
        var w = new Parameter(zeros(24, 8));
        using var muon = new Muon([new ParameterGroup("wqkv", w, ParameterKind.Linear, 8, 1, Stacked: 3)], weightDecay: 0);
        var g = Random(24, 8, 3);
        w.grad = g;
        var updates = new Tensor[1];
        muon.Step(1, 1, updates);
        var expected = cat(g.chunk(3, 0).Select(Reference).ToArray(), 0) * LiveScalar.Of(0.2 * Math.Sqrt(8));
        Assert.True(MaxAbsDiff(updates[0], expected) < 1e-5);
        var whole = Reference(g) * LiveScalar.Of(0.2 * Math.Sqrt(24));
        Assert.True(MaxAbsDiff(updates[0], whole) > 1e-2);
    }

    [Fact]
    public void ARunWithTheSwitchTrainsItsHiddenMatricesWithMuonAndTheQkvMatricesApart()
    {
        // The config must reach the optimizer, and the model's declaration of the stacked q, k, v must reach its groups:
        // unwired, the Muon arm would silently be AdamW, or orthogonalise the 3d × d whole.
        using var state = new Proxies.Training.TrainState(new Proxies.Training.TrainConfig
            { Optimizer = OptimizerKind.Muon, Model = new ModelConfig { Width = 16, Depth = 1, Heads = 2, SeqLen = 8 } }, CPU);
        Assert.IsType<Muon>(state.Optimizer);
        Assert.Equal(3, state.Groups.Single(g => g.Name == "blocks.0.wqkv").Stacked);
        Assert.All(state.Groups.Where(g => g.Name != "blocks.0.wqkv"), g => Assert.Equal(1, g.Stacked));
        Assert.Equal(["blocks.0.wqkv", "blocks.0.wo", "blocks.0.w1", "blocks.0.w2"], state.Groups.Where(Muon.OnMuon).Select(g => g.Name));
    }

    [Fact]
    public void SaveAndRestoreRewindTheMomentumAndAdamsMoments()
    {
        var w = new Parameter(zeros(4, 6));
        var gain = new Parameter(ones(2));
        using var muon = new Muon([new ParameterGroup("w", w, ParameterKind.Linear, 6, 1), new ParameterGroup("g", gain, ParameterKind.Gain, 1, 1)], weightDecay: 0);
        void StepWith(ulong seed)
        {
            w.grad = Random(4, 6, seed); gain.grad = Random(1, 2, seed + 100).flatten();
            muon.Step(0.1, 1);
        }
        StepWith(1);
        using var saved = muon.Save();
        var (w1, g1) = (w.detach().clone(), gain.detach().clone());
        StepWith(2);
        var (w2, g2) = (w.detach().clone(), gain.detach().clone());
        muon.Restore(saved);
        using (no_grad()) { w.copy_(w1); gain.copy_(g1); }
        StepWith(2);
        Assert.Equal(0, MaxAbsDiff(w, w2));
        Assert.Equal(0, MaxAbsDiff(gain, g2));
    }
}
