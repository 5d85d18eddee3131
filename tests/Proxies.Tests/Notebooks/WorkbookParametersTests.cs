using Proxies.Display;
using Proxies.Model;
using Proxies.Notebooks;

namespace Proxies.Tests.Notebooks;

/// <summary>The notebook parameters that choose a sweep's precision and where its results go. (No other test sets
/// notebook parameters in this process: the notebooks themselves run in a child process.)</summary>
public class WorkbookParametersTests
{
    [Fact]
    public void Bf16AndFusedKernelSweepsGetTheirOwnResultsFolderAndBadValuesAreRefused()
    {
        try
        {
            NotebookParameters.Set("profile", "smoke");
            Assert.Equal(MatmulPrecision.Fp32, Workbook.Settings.Matmul);
            Assert.EndsWith(Path.Combine("results", "smoke"), Workbook.ResultsRoot);
            NotebookParameters.Set("matmul", "bf16");
            Assert.Equal(MatmulPrecision.Bf16, Workbook.Settings.Matmul);
            Assert.EndsWith(Path.Combine("results", "smoke-bf16"), Workbook.ResultsRoot);
            NotebookParameters.Set("fused-kernels", "true");
            Assert.True(Workbook.Settings.FusedKernels);
            Assert.EndsWith(Path.Combine("results", "smoke-bf16-fused"), Workbook.ResultsRoot);
            // Runs a notebook trains itself (the κ transplant, progressive sensitivity) take the same numerics.
            var own = Workbook.WithNumerics(new Proxies.Training.TrainConfig()).Model;
            // Under bf16 matmuls the GELU sees bfloat16, which the float32 GELU kernel does not take: only attention is fused.
            Assert.Equal((MatmulPrecision.Bf16, GeluKind.Tanh, AttentionKind.Fused), (own.Matmul, own.Gelu, own.Attention));
            NotebookParameters.Set("matmul", "fp32");
            Assert.Equal(GeluKind.FusedTanh, Workbook.WithNumerics(new Proxies.Training.TrainConfig()).Model.Gelu);
            NotebookParameters.Set("fused-kernels", "yes");
            Assert.Contains("--fused-kernels yes: must be true or false", Assert.Throws<ArgumentException>(() => Workbook.Settings.FusedKernels).Message);
            NotebookParameters.Set("matmul", "fp16");
            Assert.Contains("--matmul fp16: must be one of fp32, bf16", Assert.Throws<ArgumentException>(() => Workbook.Settings.Matmul).Message);
        }
        finally { NotebookParameters.Clear(); }
    }

    [Fact]
    public void SettingsSetInACellAreTheSettingsTheNotebookReads()
    {
        try
        {
            var chosen = new Proxies.Sweeps.SweepSettings { Profile = Proxies.Experiments.Profile.Smoke, Device = "cpu", Vocab = "words:100", CheckpointEvery = 0 };
            Workbook.Use(chosen);
            Assert.Equal(chosen, Workbook.Settings);
            Assert.Equal(Proxies.Experiments.Profile.Smoke, Workbook.Profile);
        }
        finally { NotebookParameters.Clear(); }
    }
}
