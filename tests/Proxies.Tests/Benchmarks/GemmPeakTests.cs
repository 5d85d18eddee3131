using Proxies.Benchmarks;
using static TorchSharp.torch;

namespace Proxies.Tests.Benchmarks;

public class GemmPeakTests : TorchTest
{
    [Fact]
    public void MeasuringFreesEveryTensorItMade()
    {
        // Operands, output and read-back views are all freed: a tensor left to the finalizer holds its memory, and
        // whatever runs next faults in fresh pages.
        using var scope = NewDisposeScope();
        double gflops = GemmPeak.Measure(sizes: [64], repeats: 2);
        Assert.Equal(0, scope.DisposablesCount);
        Assert.True(gflops > 0 && double.IsFinite(gflops), $"{gflops} GFLOP/s");
    }
}

public class BlasLinearIntoTests : TorchTest
{
    [Fact]
    public void TheProductIntoAGivenOutputIsTheAllocatingOne()
    {
        if (Proxies.Model.Gemm.OpenBlas.Problem is not null) return;   // no OpenBLAS here: nothing to compare
        using var scope = NewDisposeScope();
        var x = randn(5, 3, dtype: ScalarType.Float64).to(ScalarType.Float32);
        var w = randn(4, 3, dtype: ScalarType.Float64).to(ScalarType.Float32);
        var into = empty(5, 4).fill_(Proxies.Runtime.LiveScalar.Of(double.NaN));   // β = 0: the old values must not leak in
        Proxies.Model.Gemm.BlasLinear.Output(x, w, into);
        var reference = x.to(ScalarType.Float64).matmul(w.to(ScalarType.Float64).t());
        Assert.True(into.to(ScalarType.Float64).allclose(reference, rtol: 1e-5, atol: 1e-6));
        Assert.Throws<ArgumentException>(() => Proxies.Model.Gemm.BlasLinear.Output(x, w, empty(5, 3)));
    }
}
