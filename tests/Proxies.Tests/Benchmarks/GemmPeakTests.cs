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
