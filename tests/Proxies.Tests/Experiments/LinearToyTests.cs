using Proxies.Experiments;
using static TorchSharp.torch;

namespace Proxies.Tests.Experiments;

public class LinearToyTests : TorchTest
{
    static readonly LinearToy Toy = new([3, 2, 1, 0.5], Steps: 2000, Every: 10, NoiseDraws: 8);

    [Fact]
    public void ItLearnsTheTargetModeByModeLargestFirst()
    {
        var points = Toy.Run();
        var learned = Enumerable.Range(0, 4).Select(k => Toy.StepLearned(points, k)).ToList();
        Assert.All(learned, s => Assert.True(s > 0));
        Assert.Equal(learned.Order(), learned);                       // mode 0 (s = 3) first, mode 3 (s = 0.5) last
        Assert.True(learned[3] > 3 * learned[0], $"steps to 90%: {string.Join(", ", learned)}");
        Assert.Equal(new[] { 3, 2, 1, 0.5 }, points[^1].SingularValues, (x, y) => Math.Abs(x - y) < 1e-4);
        Assert.True(points[^1].Loss < 1e-8);
    }

    [Fact]
    public void MeasuredLossIncreaseMatchesTheExactExpectation()
    {
        // W₁ = [[1, 2], [0, 1]], W₂ = [[1, 0], [1, 1]], A = diag(1, 1), δ = 0.1, m = h = n = 2:
        // ‖W₁‖² = 6, ‖W₂‖² = 3 → E[ΔL] = ½·0.01·(2·6 + 2·3) + ½·1e-4·8 = 0.09 + 0.0004 = 0.0904.
        var w1 = tensor(new double[,] { { 1, 2 }, { 0, 1 } });
        var w2 = tensor(new double[,] { { 1, 0 }, { 1, 1 } });
        Assert.Equal(0.0904, LinearToy.ExpectedIncrease(w1, w2, 0.1), 12);
        using var generator = new Generator(3);
        double measured = LinearToy.MeasuredIncrease(w1, w2, eye(2, dtype: ScalarType.Float64), 0.1, 20_000, generator);
        Assert.InRange(measured, 0.0904 * 0.98, 0.0904 * 1.02);   // Monte Carlo over 20,000 antithetic pairs: within 2%
    }

    [Fact]
    public void TheSamePerturbationHurtsMoreAfterLongerTraining()
    {
        var points = Toy.Run();
        var expected = points.Select(p => p.ExpectedIncrease[1]).ToList();
        Assert.True(expected[^1] > 20 * expected[0]);
        Assert.All(expected.Zip(expected.Skip(1)), pair => Assert.True(pair.Second >= pair.First * (1 - 1e-9)));   // monotone here
    }
}
