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
            // Runs a notebook trains itself (the κ transplant, progressive sensitivity) take the same numerics.
            Assert.Equal(MatmulPrecision.Bf16, Workbook.WithNumerics(new Proxies.Training.TrainConfig()).Model.Matmul);
            NotebookParameters.Set("repeat-data", "yes");
            Assert.Contains("--repeat-data yes: must be true or false", Assert.Throws<ArgumentException>(() => Workbook.Settings.RepeatData).Message);
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
