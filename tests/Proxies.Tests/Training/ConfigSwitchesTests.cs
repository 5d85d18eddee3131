using Proxies.Cli;
using Proxies.Model;
using Proxies.Results;
using Proxies.Training;

namespace Proxies.Tests.Training;

/// <summary>Each switch is declared once; the parser, the help, the validation and runs.csv all come from that declaration.</summary>
public class ConfigSwitchesTests
{
    static readonly TrainConfig Changed = new TrainConfig() with
    {
        Model = new ModelConfig { Width = 96, Depth = 3, Heads = 3, SeqLen = 32, QkLayerNorm = false, MuParam = MuParam.Full, MuParamBaseWidth = 32,
            MuParamScaleHead = false, TieHead = true, FinalLnGain = FinalLnGain.Fixed, LogitSoftcap = 30, Gelu = GeluKind.Exact, Matmul = MatmulPrecision.Bf16 },
        BatchSize = 4, Steps = 50, WarmupSteps = 7, Lr = 0.3, MinLr = 0, Eps = 1e-15, Beta1 = 0.8, Beta2 = 0.99, WeightDecay = 0.1,
        WdMode = Proxies.Optimization.WeightDecayMode.Coupled, ZLoss = 0, Optimizer = Proxies.Optimization.OptimizerKind.Sgd, MuLoss = 1e-4, ClipNorm = 0.5,
        Seed = 3, Vocab = "words:512", ProbeEvery = 5, EvalEvery = 10, EvalBatches = 2,
    };

    [Fact]
    public void EveryConfigFieldRoundTripsThroughItsSwitchesWords()
    {
        var rebuilt = ConfigSwitches.All.Aggregate(new TrainConfig(), (c, s) => s.Show(Changed) is { Length: > 0 } word ? s.Set(c, word) : c);
        Assert.Equal(Changed, rebuilt);
        Assert.Equal(Changed.RunId, rebuilt.RunId);
    }

    [Fact]
    public void TheCommandLineHelpAndRunsCsvComeFromTheDeclarations()
    {
        var args = ConfigSwitches.All.SelectMany(s => s.Show(Changed) is { Length: > 0 } word ? new[] { s.Flag, word } : []).ToArray();
        Assert.Equal(Changed, TrainVerb.ReadConfig(new CommandLine(args, new HashSet<string>()), new TrainConfig()));
        foreach (var s in ConfigSwitches.All)
        {
            Assert.Contains(s.Flag, TrainVerb.Help);
            Assert.Contains(s.Column, RunsTable.ColumnNames);
        }
        Assert.Equal(ConfigSwitches.All.Count, ConfigSwitches.All.Select(s => s.Flag).Distinct().Count());
        Assert.Equal(ConfigSwitches.All.Count, ConfigSwitches.All.Select(s => s.Column).Distinct().Count());
    }

    [Fact]
    public void AnOutOfRangeValueIsRefusedByItsOwnSwitchNamingTheFlag()
    {
        var errors = ConfigValidation.Check(new TrainConfig() with { Lr = -1, Model = new ModelConfig { Width = 64, Heads = 3 } });
        Assert.Equal(new[] { "--heads", "--lr", "--min-lr" }, errors.Select(e => e.Flag).Order());   // the floor is above a negative LR too
        Assert.Contains("must divide --width 64", errors.Single(e => e.Flag == "--heads").Allowed);
    }
}
