using Proxies.Model;
using Proxies.Model.Gemm;
using Proxies.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Proxies.Tests.Model;

/// <summary>Tests that set the process-wide GEMM backend or fused kernels (Model.CpuNumerics) run alone, so no other
/// test trains under numerics it did not ask for.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideCpuNumerics
{
    public const string Name = "process-wide CPU numerics";

    /// <summary>Trains <paramref name="config"/> under each of two process-wide settings and returns the two loss curves,
    /// having checked that they agree step by step within 1e-4 (a 0.1% change in the forward products fails it).</summary>
    public static (double[] First, double[] Second) LossesAgree(TrainConfig config, (string Name, Action Set) first, (string Name, Action Set) second)
    {
        first.Set();
        var a = Trainer.Run(config).Curve.Values("loss").ToArray();
        second.Set();
        var b = Trainer.Run(config).Curve.Values("loss").ToArray();
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) < 1e-4, $"step {i}: loss {a[i]} under {first.Name}, {b[i]} under {second.Name}");
        return (a, b);
    }
}

/// <summary>OpenBLAS's x·Wᵀ behind autograd (Model/Gemm/BlasLinear.cs) against float64, and a model trained under it
/// against one trained with libtorch's products.</summary>
[Collection(ProcessWideCpuNumerics.Name)]
public class BlasLinearTests : TorchTest
{
    static void NeedOpenBlas() => Optional.Need(OpenBlas.Problem);

    [SkippableFact]
    public void TheProductIntoAGivenOutputMatchesFloat64AndRefusesAnOutputItWouldOverrun()
    {
        NeedOpenBlas();
        manual_seed(12);
        var x = randn(5, 3, dtype: float64);
        var w = randn(4, 3, dtype: float64);
        var into = empty(5, 4).fill_(Proxies.Runtime.LiveScalar.Of(double.NaN));   // β = 0: the old values must not leak in
        BlasLinear.Output(x.to(float32), w.to(float32), into);
        Assert.True(into.to(float64).allclose(x.matmul(w.t()), rtol: 1e-5, atol: 1e-6));
        // Right element count, wrong row length: rows of 5 would run past the 20 floats. Then dtype and size.
        foreach (var wrong in new[] { empty(4, 5), empty(5, 4, dtype: float64), empty(5, 3) })
            Assert.Throws<ArgumentException>(() => BlasLinear.Output(x.to(float32), w.to(float32), wrong));
    }

    [SkippableFact]
    public void ValuesAndBothGradientsMatchFloat64WithinLibtorchsOwnFloat32Error()
    {
        NeedOpenBlas();
        manual_seed(11);
        // x arrives transposed (not contiguous) and with two leading dimensions, as the model's activations can.
        var x64 = randn(37, 3, 24, dtype: float64).transpose(0, 1);
        var w64 = randn(19, 24, dtype: float64);
        var r64 = randn(3, 37, 19, dtype: float64);
        (Tensor Y, Tensor Dx, Tensor Dw) Run(Func<Tensor, Tensor, Tensor> linear, ScalarType dtype)
        {
            var x = x64.to(dtype).detach().requires_grad_(true);
            var w = w64.to(dtype).detach().requires_grad_(true);
            var y = linear(x, w);
            (y.to(float64) * r64).sum().backward();
            return (y.detach().to(float64), x.grad!.to(float64), w.grad!.to(float64));
        }
        var blas = Run((x, w) => BlasLinear.apply(x, w), float32);
        var reference = Run((x, w) => F.linear(x, w), float64);
        var libtorch = Run((x, w) => F.linear(x, w), float32);
        Assert.Equal(new long[] { 3, 37, 19 }, blas.Y.shape);
        foreach (var (name, got, exact, torch32) in new[] { ("y", blas.Y, reference.Y, libtorch.Y), ("dx", blas.Dx, reference.Dx, libtorch.Dx), ("dW", blas.Dw, reference.Dw, libtorch.Dw) })
        {
            double error = (got - exact).abs().max().item<double>(), libtorchError = (torch32 - exact).abs().max().item<double>();
            double scale = exact.abs().max().item<double>();
            // float32 sums of up to 111 terms: a few ulp of the largest value; W instead of Wᵀ, or a swapped gradient, is O(scale).
            Assert.True(error < 4 * libtorchError + 1e-6 * scale, $"{name}: OpenBLAS off by {error:E2}, libtorch's float32 by {libtorchError:E2} (values up to {scale:F1})");
        }

        // y.sum() hands backward an expanded gradient (stride 0, not contiguous): the gradients are still libtorch's.
        var x = x64.to(float32).detach().requires_grad_(true);
        var w = w64.to(float32).detach().requires_grad_(true);
        BlasLinear.apply(x, w).sum().backward();
        var (xs, ws) = (x64.detach().requires_grad_(true), w64.detach().requires_grad_(true));
        F.linear(xs, ws).sum().backward();
        Assert.True((x.grad!.to(float64) - xs.grad!).abs().max().item<double>() < 1e-4);
        Assert.True((w.grad!.to(float64) - ws.grad!).abs().max().item<double>() < 1e-3);
    }

    [SkippableFact]
    public void AModelTrainsTheSameUnderOpenBlasAsUnderLibtorchUpToRounding()
    {
        NeedOpenBlas();
        var config = new TrainConfig
        {
            Model = new ModelConfig { Width = 32, Depth = 2, Heads = 2, SeqLen = 16 }, BatchSize = 4, Steps = 8, WarmupSteps = 2, Lr = 0.003, ProbeEvery = 1,
        };
        // The losses show the forward products (a 0.1% change in them fails this test), not the gradients' scale: AdamW's
        // update does not depend on it. The float64 test above checks the gradients.
        var before = GemmBackends.Requested;
        try
        {
            var (a, b) = ProcessWideCpuNumerics.LossesAgree(config,
                ("libtorch", () => GemmBackends.Requested = GemmBackend.Libtorch),
                ("OpenBLAS", () =>
                {
                    GemmBackends.Requested = GemmBackend.OpenBlas;
                    Assert.Equal(GemmBackend.OpenBlas, GemmBackends.Active);
                }));
            // and OpenBLAS did run: its sums are ordered differently, so some loss differs in its last bits
            Assert.Contains(a.Zip(b), p => p.First != p.Second);
        }
        finally { GemmBackends.Requested = before; }
    }

    [Fact]
    public void AutoPicksOpenBlasOnAmdCpusOnlyAndSaysWhichRuns()
    {
        Assert.True(GemmBackends.AutoPrefersOpenBlas("AuthenticAMD"));
        Assert.False(GemmBackends.AutoPrefersOpenBlas("GenuineIntel"));
        Assert.False(GemmBackends.AutoPrefersOpenBlas(""));
        var before = GemmBackends.Requested;
        try
        {
            GemmBackends.Requested = GemmBackend.Auto;
            Assert.Contains("auto:", GemmBackends.Describe());
            Assert.StartsWith(GemmBackends.Active == GemmBackend.OpenBlas ? "GEMM: OpenBLAS" : "GEMM: libtorch", GemmBackends.Describe());
            GemmBackends.Requested = GemmBackend.Libtorch;
            Assert.Equal(GemmBackend.Libtorch, GemmBackends.Active);
        }
        finally { GemmBackends.Requested = before; }
    }

    [Fact]
    public void WithoutTheLibraryItSaysHowToInstallIt()
    {
        Assert.Contains("apt-get install libopenblas0-pthread", OpenBlas.Load(["/nonexistent/libopenblas.so.0"]));
        Assert.Contains("not OpenBLAS", OpenBlas.Load(["libc.so.6"]));
    }

    [Fact]
    public void AMisspeltBackendIsNamedWithWhatIsAllowed()
    {
        var before = Environment.GetEnvironmentVariable(GemmBackends.Variable);
        try
        {
            Environment.SetEnvironmentVariable(GemmBackends.Variable, "mkl");
            Assert.Equal("PROXIES_GEMM=mkl: must be one of auto, libtorch, openblas", GemmBackends.EnvironmentError());
            Environment.SetEnvironmentVariable(GemmBackends.Variable, "OpenBLAS");
            Assert.Null(GemmBackends.EnvironmentError());
        }
        finally { Environment.SetEnvironmentVariable(GemmBackends.Variable, before); }
    }
}
