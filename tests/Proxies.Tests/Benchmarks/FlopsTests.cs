using Proxies.Benchmarks;
using Proxies.Model;
using static TorchSharp.torch;

namespace Proxies.Tests.Benchmarks;

public class FlopsTests : TorchTest
{
    static readonly ModelConfig D64 = new() { Width = 64, Depth = 2, Heads = 2, SeqLen = 64, Vocab = 256 };

    [Fact]
    public void StepFlopsMatchAHandCount()
    {
        // Width 64, 2 layers, V 256, batch 32 × seq 64 = 2048 tokens:
        // weights 6·(12·2·64² + 256·64)·2048 = 6·114,688·2048 = 1,409,286,144;
        // attention 12·2·2048·64·64 = 201,326,592.
        Assert.Equal(1_409_286_144d, StepGemms.FlopsPerStep(D64, 32));
        Assert.Equal(1_409_286_144d + 201_326_592d, Flops.PerStep(D64, 32));
        Assert.Equal(9, StepGemms.Shapes(D64).Count());                 // four per block and the head
        // MLP ratio 2: weights 6·((4 + 4)·2·64² + 256·64)·2048 = 6·81,920·2048 = 1,006,632,960; the weight part agrees
        // with the step's own GEMM shapes.
        Assert.Equal(1_006_632_960d + 201_326_592d, Flops.PerStep(D64 with { MlpRatio = 2 }, 32));
        Assert.Equal(1_006_632_960d, StepGemms.FlopsPerStep(D64 with { MlpRatio = 2 }, 32));
    }

    [Fact]
    public void StepGemmsRunInEitherMatmulDtype()
    {
        double fp32 = StepGemms.Ms(D64 with { Width = 32, Heads = 1 }, 4, CPU, trials: 1);
        Assert.InRange(fp32, 1e-3, 5_000);
        double bf16 = StepGemms.Ms(D64 with { Width = 32, Heads = 1, Matmul = MatmulPrecision.Bf16 }, 4, CPU, trials: 1);
        Assert.InRange(bf16, 1e-3, 5_000);
    }
}
