using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Experiments;

/// <summary>One checkpoint of the toy: its step, loss, the singular values of W₂W₁ (the learned modes) and, per
/// perturbation size δ, the measured and the exact expected loss increase.</summary>
public sealed record LinearToyPoint(int Step, double Loss, double[] SingularValues, double[] MeasuredIncrease, double[] ExpectedIncrease);

/// <summary>
/// The two-layer linear toy model of progressive sensitivity (Springer et al. 2025's theory, in the form built here):
/// f(x) = W₂W₁x with W₁ ∈ ℝ^{h×n}, W₂ ∈ ℝ^{m×h}, trained by full-batch gradient descent on whitened inputs, whose
/// population loss is L = ½‖W₂W₁ − A‖²_F, toward a target A = diag(s₁ … sₙ) with distinct singular values. From a small
/// init (entries N(0, σ₀²)) it learns A mode by mode, the largest singular value first (incremental learning). A
/// perturbation W ← W + δ·ξ, ξ ~ N(0, I) entrywise in both layers, raises the loss in expectation by exactly
///   E[ΔL] = ½δ²(m‖W₁‖²_F + n‖W₂‖²_F) + ½δ⁴·m·h·n,
/// which grows as the learned modes grow the weights: the longer it trains, the more the same perturbation hurts.
/// Everything runs in float64.
/// </summary>
public sealed record LinearToy(double[] Target, int Hidden = 0, double InitStd = 1e-3, double Lr = 0.05, int Steps = 3000,
    int Every = 25, double[]? Deltas = null, int NoiseDraws = 64, int Seed = 0)
{
    public IReadOnlyList<double> PerturbationSizes => Deltas ?? [0.02, 0.05, 0.1];

    int N => Target.Length;
    int H => Hidden > 0 ? Hidden : Target.Length;

    public static double Loss(Tensor w1, Tensor w2, Tensor a) => 0.5 * (w2.matmul(w1) - a).Squared().sum().item<double>();

    /// <summary>The exact expected loss increase of the perturbation (derivation in the class summary).</summary>
    public static double ExpectedIncrease(Tensor w1, Tensor w2, double delta)
    {
        long h = w1.shape[0], n = w1.shape[1], m = w2.shape[0];
        return 0.5 * delta * delta * (m * w1.Squared().sum().item<double>() + n * w2.Squared().sum().item<double>())
             + 0.5 * Math.Pow(delta, 4) * m * h * n;
    }

    /// <summary>The mean loss increase over <paramref name="draws"/> perturbations drawn from <paramref name="generator"/>,
    /// each taken as the pair ±ξ (antithetic: the terms odd in ξ, whose expectation is zero, cancel exactly).</summary>
    public static double MeasuredIncrease(Tensor w1, Tensor w2, Tensor a, double delta, int draws, Generator generator)
    {
        double baseLoss = Loss(w1, w2, a), sum = 0;
        for (int i = 0; i < draws; i++)
        {
            using var scope = NewDisposeScope();
            var e1 = LiveScalar.Of(delta) * randn(w1.shape, dtype: float64, generator: generator);
            var e2 = LiveScalar.Of(delta) * randn(w2.shape, dtype: float64, generator: generator);
            sum += 0.5 * (Loss(w1.Plus(e1), w2.Plus(e2), a) + Loss(w1 - e1, w2 - e2, a)) - baseLoss;
        }
        return sum / draws;
    }

    /// <summary>Trains from the small init and records a point every <see cref="Every"/> steps (and at step 0).</summary>
    public IReadOnlyList<LinearToyPoint> Run()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)Seed);
        var a = diag(tensor(Target, dtype: float64));
        var w1 = LiveScalar.Of(InitStd) * randn([H, N], dtype: float64, generator: generator);
        var w2 = LiveScalar.Of(InitStd) * randn([N, H], dtype: float64, generator: generator);
        var points = new List<LinearToyPoint>();
        for (int step = 0; step <= Steps; step++)
        {
            if (step % Every == 0 || step == Steps)
                points.Add(new LinearToyPoint(step, Loss(w1, w2, a),
                    linalg.svdvals(w2.matmul(w1)).data<double>().ToArray(),
                    PerturbationSizes.Select(d => MeasuredIncrease(w1, w2, a, d, NoiseDraws, generator)).ToArray(),
                    PerturbationSizes.Select(d => ExpectedIncrease(w1, w2, d)).ToArray()));
            if (step == Steps) break;
            using var inner = NewDisposeScope();
            var residual = w2.matmul(w1) - a;              // ∂L/∂(W₂W₁)
            var g1 = w2.t().matmul(residual);                // ∂L/∂W₁ = W₂ᵀ(W₂W₁ − A)
            var g2 = residual.matmul(w1.t());                // ∂L/∂W₂ = (W₂W₁ − A)W₁ᵀ
            w1.sub_(LiveScalar.Of(Lr) * g1);
            w2.sub_(LiveScalar.Of(Lr) * g2);
        }
        return points;
    }

    /// <summary>The first recorded step at which singular value <paramref name="mode"/> of W₂W₁ reached
    /// <paramref name="fraction"/> of its target; −1 if it never did.</summary>
    public int StepLearned(IReadOnlyList<LinearToyPoint> points, int mode, double fraction = 0.9)
    {
        var target = Target.OrderDescending().ElementAt(mode);
        return points.FirstOrDefault(p => p.SingularValues[mode] >= fraction * target)?.Step ?? -1;
    }
}
