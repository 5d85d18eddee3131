using Proxies.Probes;
using Proxies.Results;
using Proxies.Training;

namespace Proxies.Tests.Training;

public class RunSummaryTests
{
    static Curve Curve(params Dictionary<string, double>[] rows)
    {
        var curve = new Curve();
        foreach (var r in rows) curve.Add(r);
        return curve;
    }

    static readonly Dictionary<string, double> Initial = new() { ["initial:eval_loss"] = 5.0, ["initial:head_mu_norm"] = 0.1 };

    [Fact]
    public void FinalIsTheLastProbedValueAndMaxTheLargestOverTraining()
    {
        var curve = Curve(
            new() { ["step"] = 0, ["loss"] = 5, ["log_z"] = 7, ["max_attn_logit"] = 3, ["attn_logit_max/0"] = 3 },
            new() { ["step"] = 1, ["loss"] = 4, ["log_z"] = 6, ["max_attn_logit"] = 9, ["attn_logit_max/0"] = 2 },
            new() { ["step"] = 2, ["loss"] = 3, ["log_z"] = 6.5, ["max_attn_logit"] = 4, ["attn_logit_max/0"] = 1 });
        var s = RunSummary.Of(new TrainConfig { Steps = 3, WarmupSteps = 0 }, curve, Initial, finalEvalLoss: 3.5, divergedStep: -1, stepsDone: 3, parameters: 100, vocabSize: 256, 1, 2);
        Assert.Equal(3, s["final:loss"]);
        Assert.Equal(6.5, s["final:log_z"]);
        Assert.Equal(9, s["max:max_attn_logit"]);
        Assert.Equal(3, s["max:attn_logit_max/0"]);
        Assert.Equal(0, s["diverged"]);
        Assert.Equal(5.0, s["initial:eval_loss"]);
        Assert.True(double.IsNaN(s["final:head_mu_norm"]));            // never probed
        Assert.Equal(RunSummary.Names.Order(), s.Keys.Order());
    }

    [Fact]
    public void ANonFiniteLogitIsKeptAndAFinalLossAboveTheInitialOneIsDivergence()
    {
        var curve = Curve(
            new() { ["step"] = 0, ["loss"] = 5, ["max_attn_logit"] = 3, ["attn_logit_max/0"] = 3 },
            new() { ["step"] = 1, ["loss"] = 4, ["max_attn_logit"] = double.NaN, ["attn_logit_max/0"] = 2 },
            new() { ["step"] = 2, ["loss"] = 4 });                        // a divergence row between probes takes no logit
        var s = RunSummary.Of(new TrainConfig { Steps = 3, WarmupSteps = 0 }, curve, Initial, finalEvalLoss: 5.5, divergedStep: -1, stepsDone: 3, parameters: 100, vocabSize: 256, 1, 2);
        Assert.True(double.IsNaN(s["max:max_attn_logit"]));
        Assert.Equal(3, s["max:attn_logit_max/0"]);
        Assert.Equal(1, s["diverged"]);                                 // 5.5 > ℓ0 = 5
    }

    [Fact]
    public void RunsCsvHasOneColumnPerSummaryNameAndReadsEarlierColumnNames()
    {
        var folder = Directory.CreateTempSubdirectory().FullName;
        var path = Path.Combine(folder, "runs.csv");
        var values = RunSummary.Names.ToDictionary(n => n, n => n == RunSummary.Diverged ? 1.0 : n.Length);
        var run = new RunResult { RunId = new TrainConfig().RunId, Config = new TrainConfig(), Values = values };
        RunsTable.Upsert(path, run);
        var header = File.ReadLines(path).First().Split(',');
        Assert.Equal(RunsTable.ColumnNames, header);
        Assert.Contains("max:attn_logit_max/0", header);
        var back = Assert.Single(RunsTable.Read(path));
        Assert.Equal(values, back.Values);
        Assert.True(back.Diverged);

        // A file of the earlier layout: its columns are read under today's names.
        var earlier = File.ReadAllText(path).Replace("max:attn_logit_max/0", "max_attn_logit_block0").Replace("final:eval_loss", "final_eval_loss");
        File.WriteAllText(path, earlier);
        var old = Assert.Single(RunsTable.Read(path));
        Assert.Equal(run.MaxAttnLogitBlock0, old.MaxAttnLogitBlock0);
        Assert.Equal(run.FinalEvalLoss, old.FinalEvalLoss);
    }
}
