using Proxies.Experiments;
using Proxies.Model;
using Proxies.Optimization;
using Proxies.Probes;
using Proxies.Training;
using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Tests.Experiments;

public class AdamInstabilityTests : TorchTest
{
    [Fact]
    public void EveryVariantChangesOneThingOfTheSpikingRunAndRunsOnEverySeed()
    {
        foreach (var profile in Enum.GetValues<Profile>())
        {
            var spiking = AdamInstability.Spiking(profile);
            var ladder = Ladder.For(profile);
            Assert.Equal(ladder.LearningRates.Max(), spiking.Lr);
            Assert.Equal(ladder.Sizes[^1].Width, spiking.Model.Width);
            Assert.Equal(Math.Max(1, ladder.Steps / 100), spiking.WarmupSteps);
            Assert.True(spiking.RatioHistogram);
            var runs = AdamInstability.Runs(profile);
            Assert.Equal(6 * AdamInstability.Seeds.Length, runs.Count);
            Assert.Equal(runs.Count, runs.Select(r => r.RunId).Distinct().Count());
            var change = new Dictionary<string, Func<TrainConfig, TrainConfig>>
            {
                ["spiking"] = c => c,
                ["lower LR"] = c => c with { Lr = spiking.Lr / 3 },
                ["smaller ε"] = c => c with { Eps = 1e-15 },
                ["embedding-gradient shrink"] = c => c with { Model = c.Model with { EmbedGradShrink = 0.1 } },
                ["skip-and-restart"] = c => c with { SpikeRestart = AdamInstability.SpikeFactor, RestartRewind = Math.Max(2, c.Steps / 30), RestartSkip = 2 * Math.Max(2, c.Steps / 30) },
                ["10% warm-up"] = c => c with { WarmupSteps = c.Steps / 10 },
            };
            foreach (var run in runs)
            {
                var expected = change[run.Variant](spiking with { Seed = run.Seed }) with { Variant = run.Variant };
                Assert.Equal(expected, run);
                ConfigValidation.EnsureRules(run);
            }
        }
    }

    [Fact]
    public void SpikesAreCountedOnTheStepsARestartKeptAndRestartsSeparately()
    {
        // 25 steps at loss 2, then step 25 at 3 (undone by a restart to step 20), steps 20–29 again at 2 with step 27
        // at 2.8: the detector (β 0.9, settle 20) sees 2.8 > 1.3·2 on the kept rows only; 3 is a restart, not a spike.
        var curve = new Curve();
        for (int s = 0; s < 25; s++) curve.Add(Row(s, 2));
        curve.Add(new Dictionary<string, double> { ["step"] = 25, [RunSummary.Loss] = 3, [Proxies.Training.Hooks.SpikeRestart.RewoundTo] = 20 });
        for (int s = 20; s < 30; s++) curve.Add(Row(s, s == 27 ? 2.8 : 2));
        var run = new RunResult { RunId = "x", Config = new TrainConfig(), Values = new Dictionary<string, double>() };
        var summary = AdamInstability.Summarise(run, curve);
        Assert.Equal(35, AdamInstability.KeptLosses(curve).Count);
        Assert.Equal(new[] { 27 }, summary.Spikes);
        Assert.Equal(1, summary.Restarts);
        Assert.Equal(1.4, summary.MaxLossOverAverage, 12);
    }

    static Dictionary<string, double> Row(int step, double loss) => new() { ["step"] = step, [RunSummary.Loss] = loss };

    [Fact]
    public void TheGradientNormOfALayerIsItsProbedRmsTimesTheRootOfItsEntries()
    {
        var config = new ModelConfig { Width = 32, Depth = 2, Heads = 1, SeqLen = 8 };
        using var generator = new Generator(5);
        using var model = new Transformer(config, CPU, generator);
        var tokens = randint(0, 256, new long[] { 2, 9 }, generator: generator);
        var logits = model.Forward(tokens[.., ..8]);
        Proxies.Losses.LanguageModelLoss.Compute(logits, tokens[.., 1..]).CrossEntropy.backward();
        var curve = new Curve();
        var row = new Dictionary<string, double> { ["step"] = 0 };
        var groups = MuParamGroups.Build(model);
        foreach (var g in groups) row[LayerStatistics.GradRms(g.Name)] = LayerStatistics.Rms(g.Parameter.grad!).item<float>();
        curve.Add(row);
        foreach (var g in groups)
        {
            double expected = Math.Sqrt(g.Parameter.grad!.to_type(ScalarType.Float64).Squared().sum().item<double>());   // float64 ‖g‖
            Assert.Equal(expected, AdamInstability.GradNorm(curve, g.Name, g.Parameter.numel()).Single().Value, expected * 1e-5);
        }
    }

    [Fact]
    public void BinLabelsFollowTheRatioHistogramEdges()
    {
        Assert.Equal("0.0–0.1", AdamInstability.BinLabel(0));
        Assert.Equal("0.9–1.0", AdamInstability.BinLabel(9));
        Assert.Equal("≥ 1.0", AdamInstability.BinLabel(10));
        Assert.Equal(11, Proxies.Training.Hooks.RatioHistogram.BinEdges.Length);
    }
}
