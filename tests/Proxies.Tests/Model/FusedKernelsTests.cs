using Proxies.Model;
using Proxies.Model.Fused;
using Proxies.Training;
using static TorchSharp.torch;

namespace Proxies.Tests.Model;

/// <summary>The fused kernels are the process's choice (PROXIES_KERNELS), like the GEMM library: a model with them
/// against one with libtorch's, under one run id; each kernel against float64 is in its own test file.</summary>
[Collection(ProcessWideCpuNumerics.Name)]
public class FusedKernelsTests : TorchTest
{
    static void NeedKernels() => Optional.Need(Kernels.HardwareProblem is { } why ? $"the fused kernels cannot run: {why}" : null);

    /// <summary>A Transformer with the fused GELU, q/k/v split and attention gives libtorch's loss and gradients up to
    /// float32 rounding (and not bit for bit, so the kernels did run), over a batch on 2 threads, which splits the
    /// kernels' slices over their helper thread.</summary>
    [SkippableFact]
    public void ATransformerWithTheFusedKernelsMatchesLibtorchsOnTwoThreads()
    {
        NeedKernels();
        var config = new ModelConfig { Width = 64, Depth = 2, Heads = 2, SeqLen = 16, Vocab = 256 };
        var tokens = randint(0, 256, new long[] { 8, 17 }, generator: new Generator(3));
        (double Loss, Tensor Grads) Run(bool fused)
        {
            Kernels.Enabled = fused;
            using var model = new Transformer(config, CPU, new Generator(7));
            var logits = model.Forward(tokens[.., ..16]);
            var loss = nn.functional.cross_entropy(logits.reshape(-1, 256), tokens[.., 1..].reshape(-1));
            loss.backward();
            return (loss.item<float>(), cat(model.parameters().Select(p => p.grad!.flatten()).ToArray()));
        }
        int threads = get_num_threads();
        bool before = Kernels.Enabled;
        set_num_threads(2);
        try
        {
            var (libtorch, fused) = (Run(false), Run(true));
            Assert.Equal(libtorch.Loss, fused.Loss, 5);
            double gradError = (libtorch.Grads - fused.Grads).abs().max().item<float>(), scale = libtorch.Grads.abs().max().item<float>();
            Assert.True(gradError < 1e-4 * scale, $"largest gradient difference {gradError:G3} against a largest gradient {scale:G3}");
            Assert.False(libtorch.Grads.equal(fused.Grads).all().item<bool>(), "bit for bit libtorch's model: the fused kernels did not run");
        }
        finally { set_num_threads(threads); Kernels.Enabled = before; }
    }

    /// <summary>Trained for a few steps, the two end within rounding of each other, and the run's id is the same:
    /// the kernels are not part of a run's config.</summary>
    [SkippableFact]
    public void ARunTrainsToTheSameLossesUnderOneRunIdEitherWay()
    {
        NeedKernels();
        var config = new TrainConfig
        {
            Model = new ModelConfig { Width = 32, Depth = 2, Heads = 1, SeqLen = 16 }, BatchSize = 4, Steps = 8, WarmupSteps = 2, Lr = 0.003, ProbeEvery = 1,
        };
        bool before = Kernels.Enabled;
        try
        {
            string? id = null;
            ProcessWideCpuNumerics.LossesAgree(config,
                ("libtorch's kernels", () => { Kernels.Enabled = false; id = config.RunId; }),
                ("the fused kernels", () => { Kernels.Enabled = true; Assert.Equal(id, config.RunId); }));
        }
        finally { Kernels.Enabled = before; }
    }

    [Fact]
    public void TheLogSaysWhichKernelsRunAndHowToChange()
    {
        bool before = Kernels.Enabled;
        try
        {
            Kernels.Enabled = false;
            Assert.Equal("libtorch", Kernels.Label);
            Assert.Equal("kernels: libtorch's GELU and attention (PROXIES_KERNELS=libtorch)", Kernels.Describe());
            Kernels.Enabled = true;
            Assert.Equal(Kernels.CannotRun(TorchSharp.DeviceType.CPU) is null ? "fused" : "libtorch", Kernels.Label);
            if (Kernels.CannotRun(TorchSharp.DeviceType.CPU) is null) Assert.Contains("PROXIES_KERNELS=libtorch for libtorch's", Kernels.Describe());
        }
        finally { Kernels.Enabled = before; }
    }

    [Fact]
    public void AMisspeltKernelChoiceIsNamedWithWhatIsAllowed()
    {
        var before = Environment.GetEnvironmentVariable(Kernels.Variable);
        try
        {
            Environment.SetEnvironmentVariable(Kernels.Variable, "mkl");
            Assert.Equal("PROXIES_KERNELS=mkl: must be one of fused, libtorch", Kernels.EnvironmentError());
            Assert.Equal("PROXIES_KERNELS=mkl: must be one of fused, libtorch", Proxies.Model.CpuNumerics.EnvironmentError());
            Environment.SetEnvironmentVariable(Kernels.Variable, "Libtorch");
            Assert.Null(Kernels.EnvironmentError());
        }
        finally { Environment.SetEnvironmentVariable(Kernels.Variable, before); }
    }
}
