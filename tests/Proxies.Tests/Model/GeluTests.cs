using Proxies.Model;
using static TorchSharp.torch;

namespace Proxies.Tests.Model;

public class GeluTests : TorchTest
{
    [Theory]
    [InlineData(GeluKind.Exact)]
    [InlineData(GeluKind.Tanh)]
    public void GeluMatchesFloat64Formula(GeluKind kind)
    {
        double[] xs = { -4, -1.5, -0.3, 0, 0.2, 1, 2.5, 6 };
        var y = Gelu.Apply(tensor(xs.Select(v => (float)v).ToArray()), kind).data<float>().ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            double x = xs[i];
            double expected = kind == GeluKind.Exact
                ? 0.5 * x * (1 + Erf(x / Math.Sqrt(2)))
                : 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            Assert.Equal(expected, y[i], 5);
        }
    }

    [Fact]
    public void TheTwoFormsDifferByLessThanOneThousandth()
    {
        var x = linspace(-6, 6, 1001);
        Assert.True((Gelu.Apply(x, GeluKind.Exact) - Gelu.Apply(x, GeluKind.Tanh)).abs().max().item<float>() < 1e-3);
    }

    static double Erf(double x)
    {
        // erf by its Taylor series, summed until the terms vanish (|x| ≤ 4.3 here): float64-exact for these inputs.
        double sum = 0, term = x;
        for (int n = 0; n < 200 && Math.Abs(term) > 1e-300; n++) { sum += term / (2 * n + 1); term *= -x * x / (n + 1); }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }
}
