using Proxies.Results;
using Proxies.Tests.Reliability;

namespace Proxies.Tests.Cli;

/// <summary>The output-logit mechanism from the command line: SGD cannot move μ, AdamW at a high LR grows it.</summary>
public class OutputLogitCliTests
{
    static double[] HeadMuNorms(int steps, params string[] flags)
    {
        var folder = Directory.CreateTempSubdirectory("proxies-mu-").FullName;
        var (code, stdout, stderr) = CliProcess.Run(["train", "--steps", steps.ToString(), "--probe-every", "1", "--out", folder, .. flags]);
        Assert.True(code == 0, stdout + stderr);
        var run = Assert.Single(RunsTable.Read(Path.Combine(folder, "runs.csv")));
        var curve = CurveFile.Read(Path.Combine(folder, "curves", run.RunId + ".csv"));
        return curve.Values("head_mu_norm").Prepend(run.InitialHeadMuNorm).ToArray();
    }

    [Fact]
    public void SgdLeavesHeadMuAtItsInitialValueAndAdamWGrowsIt()
    {
        var sgd = HeadMuNorms(30, "--optimizer", "sgd", "--z-loss", "0", "--weight-decay", "0", "--lr", "0.3");
        Assert.All(sgd, v => Assert.Equal(sgd[0], v, sgd[0] * 1e-4));
        var adam = HeadMuNorms(100, "--optimizer", "adamw", "--lr", "0.3");
        Assert.True(adam[^1] > 100 * adam[0], $"AdamW at LR 0.3: ‖μ‖ {adam[0]:G3} → {adam[^1]:G3}");
    }
}
