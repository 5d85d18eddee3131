using Proxies.Model;
using static TorchSharp.torch;
using Proxies.Runtime;

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

    /// <summary>The fused tanh-form kernel (Model/Fused/FusedGeluTanh.cs) against libtorch's tanh form in float64: values
    /// and gradients within float32 rounding, over the range the clamp of its tanh matters to, with a scalar tail.</summary>
    [SkippableFact]
    public void FusedTanhFormMatchesTheComposedOneInFloat64ValuesAndGradients()
    {
        manual_seed(5);
        var x64 = cat(new[] { randn(3 * 4096 + 5, dtype: float64) * LiveScalar.Of(3), linspace(-12, 12, 97, dtype: float64) });
        var weight = randn(x64.shape, dtype: float64);
        (Tensor Y, Tensor Grad) Run(Func<Tensor, Tensor> gelu, ScalarType dtype)
        {
            var x = x64.to(dtype).detach().requires_grad_(true);
            var y = gelu(x);
            (y.to(float64) * weight).sum().backward();
            return (y.detach().to(float64), x.grad!.to(float64));
        }
        Optional.Need(Proxies.Model.Fused.Kernels.HardwareProblem);
        var fused = Run(x => Proxies.Model.Fused.FusedGeluTanh.apply(x), float32);
        var reference = Run(Gelu.LibtorchTanh, float64);
        var libtorch = Run(Gelu.LibtorchTanh, float32);
        double Error(Tensor a, Tensor b) => (a - b).abs().max().item<double>();
        // libtorch's own float32 kernel is the yardstick of float32 rounding here: 1 − tanh² near |x| = 5 loses digits in
        // any float32 evaluation (libtorch: 2.8e-6 off in the gradient, this kernel 7.2e-6, both against float64).
        double value = Error(fused.Y, reference.Y), valueLibtorch = Error(libtorch.Y, reference.Y);
        double grad = Error(fused.Grad, reference.Grad), gradLibtorch = Error(libtorch.Grad, reference.Grad);
        Assert.True(value <= Math.Max(2 * valueLibtorch, 1e-6), $"largest value error {value:G3}, libtorch's float32 {valueLibtorch:G3}");
        Assert.True(grad <= 4 * gradLibtorch && grad < 1e-5, $"largest gradient error {grad:G3}, libtorch's float32 {gradLibtorch:G3}");
        Assert.True(reference.Grad.abs().max().item<double>() > 1);   // the check has something to compare
    }

    /// <summary>The fused kernels' split of their work over threads covers every element once, with aligned bounds.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void WorkSplitOverThreadsCoversEveryElementOnce(int threads)
    {
        const long count = 1_000_003;
        var seen = new int[count];
        var bounds = new System.Collections.Concurrent.ConcurrentBag<(long, long)>();
        Proxies.Model.Fused.Kernels.ForRanges(count, 65536, 8, (start, end) =>
        {
            bounds.Add((start, end));
            for (long i = start; i < end; i++) Interlocked.Increment(ref seen[i]);
        }, threads);
        Assert.All(seen, n => Assert.Equal(1, n));
        Assert.Equal(threads, bounds.Count);
        Assert.All(bounds, b => Assert.True(b.Item1 % 8 == 0 && (b.Item2 % 8 == 0 || b.Item2 == count)));
    }
}
