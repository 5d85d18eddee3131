using Proxies.Benchmarks;
using static TorchSharp.torch;

namespace Proxies.Tests.Benchmarks;

public class GemmPeakTests : TorchTest
{
    [Fact]
    public void MeasuringFreesEveryProductAndView()
    {
        // A product or a view of it left alive (to the finalizer) makes every next product fault in fresh pages, and the
        // peak then times page faults: it read 150 GFLOP/s where the same OpenBLAS reached 330.
        using var scope = NewDisposeScope();
        double gflops = GemmPeak.Measure(sizes: [64], repeats: 2);
        Assert.Equal(0, scope.DisposablesCount);
        Assert.True(gflops > 0 && double.IsFinite(gflops), $"{gflops} GFLOP/s");
    }
}
