using Proxies.Claims;
using Proxies.Experiments;
using Proxies.Model;
using Proxies.Optimization;
using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Tests.Experiments;

public class ProgressiveSensitivityTests : TorchTest
{
    [Fact]
    public void ThePerturbationOfEachTensorHasStdGammaTimesItsInitStdAndGainsAreLeftAlone()
    {
        var config = new ModelConfig { Width = 64, Depth = 2, Heads = 2, SeqLen = 16, Vocab = 256 };
        using var generator = new Generator(1);
        using var model = new Transformer(config, CPU, generator);
        var before = MuParamGroups.Build(model).Select(g => g.Parameter.detach().clone()).ToList();
        using var noise = new Generator(2);
        ProgressiveSensitivity.Perturb(model, 0.3, noise);
        foreach (var (group, old) in MuParamGroups.Build(model).Zip(before))
        {
            var delta = (group.Parameter.detach() - old).to_type(ScalarType.Float64);
            double expected = group.Kind switch
            {
                ParameterKind.Embedding => 0.3 / Math.Sqrt(64),          // σ_init = 1/√d
                ParameterKind.Linear or ParameterKind.Head => 0.3 / Math.Sqrt(group.FanIn),   // 1/√fan_in
                _ => 0,
            };
            double std = delta.Squared().mean().sqrt().item<double>();
            if (expected == 0) Assert.Equal(0, std);
            else Assert.InRange(std / expected, 0.9, 1.1);   // ≥ 4,096 entries per tensor here
        }
    }

    [Fact]
    public void TheStudyPlanPreTrainsAtAConstantLrOnNonFictionAndFineTunesOnFiction()
    {
        foreach (var profile in Enum.GetValues<Profile>())
        {
            var plan = ProgressiveSensitivity.Plan(profile);
            Assert.Equal(plan.PreTrain.Lr, plan.PreTrain.MinLr);
            Assert.All(Enumerable.Range(plan.PreTrain.WarmupSteps, plan.PreTrain.Steps - plan.PreTrain.WarmupSteps),
                t => Assert.Equal(1, plan.PreTrain.Schedule.Multiplier(t), 12));
            Assert.Equal(plan.PreTrain.Steps, plan.Checkpoints.Max());
            Assert.Equal("brown:abcdefghj", plan.PreTrain.Data);
            Assert.Equal("brown:klmnpr", plan.FineTune.Data);
            if (profile != Profile.Smoke)
            {
                Assert.True(plan.Seeds.Count >= 3 && plan.FineTuneSeeds.Count >= 3 && plan.NoiseSeeds >= 3);
                // The paper's regime: the last checkpoint is hundreds to thousands of tokens per parameter in.
                Assert.InRange(plan.TokensPerParameter(plan.TokensAt(plan.Checkpoints[^1])), 1_000, 1e6);
            }
            Proxies.Training.ConfigValidation.EnsureRules(plan.PreTrain);   // the rules, not this machine's memory (paper: a GPU)
            Proxies.Training.ConfigValidation.EnsureRules(plan.FineTune);
        }
    }

    [Fact]
    public void EachCheckpointGetsFreshNoiseDirectionsSharedByItsGammas()
    {
        var plan = ProgressiveSensitivity.Plan(Profile.Quick);
        var seeds = plan.Seeds.SelectMany(s => plan.Checkpoints.SelectMany(c => Enumerable.Range(0, plan.NoiseSeeds)
            .Select(d => ProgressiveSensitivity.NoiseSeed(s, c, d)))).ToList();
        Assert.Equal(seeds.Count, seeds.Distinct().Count());
    }

    [Fact]
    public void ALossFlattensWithinFiveHundredthsOfTheLastCheckpointAndTheClaimsCompareTheEndWithThatPoint()
    {
        // Three seeds, checkpoints 10..50: the loss reaches within 0.05 of its end at step 30 (2.04 − 2.00), and the
        // increase under γ 0.1 grows ×10, ×15.8, ×6.3 from there (log₁₀: 1, 1.2, 0.8).
        double[] loss = [3.0, 2.2, 2.04, 2.02, 2.0];
        int[] steps = [10, 20, 30, 40, 50];
        double[] growth = [1.0, 1.2, 0.8];
        var rows = new List<PerturbationRow>();
        var fineTunes = new List<FineTuneRow>();
        for (int seed = 0; seed < 3; seed++)
            for (int i = 0; i < steps.Length; i++)
            {
                double inc = 0.01 * (i < 2 ? 0.5 : Math.Pow(10, growth[seed] * (i - 2) / 2.0));
                rows.Add(new PerturbationRow(seed, steps[i], steps[i] * 100, 0.1, loss[i], inc, 0.001, 3));
                fineTunes.Add(new FineTuneRow(seed, steps[i], steps[i] * 100, 0, loss[i], loss[i] + 0.1 * i, 2.5, 2.4));
                fineTunes.Add(new FineTuneRow(seed, steps[i], steps[i] * 100, 1, loss[i], loss[i] + 0.1 * i + 0.02, 2.5, 2.4));
            }
        var results = new ProgressiveSensitivityResults(rows, fineTunes, [0, 1, 2], 0);
        Assert.All(new[] { 0, 1, 2 }, s => Assert.Equal(30, results.FlatStep(s)));
        var judged = ProgressiveSensitivityClaims.Judge(results);
        var rising = judged.Single(r => r.Claim.Id == "11.sensitivity-rises-after-flat.γ0.1");
        Assert.Equal(1.0, rising.Value, 9);
        double half = 4.303 * 0.2 / Math.Sqrt(3);   // t₀.₉₇₅(2) · sd / √n, sd of (1, 1.2, 0.8) = 0.2
        Assert.Equal(1.0 - half, rising.Low, 9);
        Assert.Equal(Proxies.Claims.Verdict.Reproduces, rising.Verdict);
        // The perturbed loss: 2.0 + 0.1 at the end against 2.04 + 0.01 at the flat point, the same for every seed.
        var turnsUp = judged.Single(r => r.Claim.Id == "11.perturbed-loss-turns-up.γ0.1");
        Assert.Equal(2.0 + 0.01 * Math.Pow(10, 1.0) - (2.04 + 0.01), turnsUp.PerSeed[0].Value, 9);
        // Forgetting: mean over the two fine-tuning seeds, (2.0 + 0.4 + 0.01) − (2.04 + 0.2 + 0.01) = 0.16 for every seed.
        var forgetting = judged.Single(r => r.Claim.Id == "11.finetuned-pretrain-loss-turns-up");
        Assert.All(forgetting.PerSeed, x => Assert.Equal(0.16, x.Value, 9));
        Assert.Equal(0, judged.Single(r => r.Claim.Id == "11.finetuned-loss-turns-up").Value, 9);
    }

    [Fact]
    public void AStudyRunsOnlyTheSeedsItsFolderLacksAndAResumedSeedGivesTheSameRows()
    {
        var plan = ProgressiveSensitivity.Plan(Profile.Smoke) is var p ? p with { PreTrain = p.PreTrain with { Steps = 20, WarmupSteps = 2 },
            Checkpoints = [10, 20], Gammas = [0.2], FineTune = p.FineTune with { Steps = 4, WarmupSteps = 1 } } : null!;
        var folder = Directory.CreateTempSubdirectory().FullName;
        var full = ProgressiveSensitivity.RunOrLoad(plan, folder);
        Assert.Equal(plan.Seeds, full.SeedsDone);
        Assert.Equal(plan.Seeds.Count * plan.Checkpoints.Count, full.Perturbations.Count);
        Assert.Equal(plan.Seeds.Count * plan.Checkpoints.Count * plan.FineTuneSeeds.Count, full.FineTunes.Count);
        Assert.All(full.Perturbations, r => Assert.True(r.LossIncrease > 0 && r.LossIncreaseSpread > 0));

        // A study killed after its first seed: plan.json names only seed 0, so the next call trains seed 1 alone, to the
        // same rows; and the same plan read again trains nothing.
        var planPath = Path.Combine(folder, "plan.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(planPath))!;
        json["seeds_done"] = new System.Text.Json.Nodes.JsonArray(0);
        File.WriteAllText(planPath, json.ToJsonString());
        // Seed 0's rows are read, not retrained: a mark put into one of them survives the resume.
        var csvPath = Path.Combine(folder, "perturbation.csv");
        var lines = File.ReadAllLines(csvPath);
        int row = Array.FindIndex(lines, l => l.StartsWith("0,"));
        var fields = lines[row].Split(',');
        fields[5] = "0.123456";   // loss_increase
        lines[row] = string.Join(",", fields);
        File.WriteAllLines(csvPath, lines);
        full = full with { Perturbations = [.. full.Perturbations.Select((r, i) => i == row - 1 ? r with { LossIncrease = 0.123456 } : r)] };
        Assert.Equal([0], ProgressiveSensitivityResults.Read(folder, ProgressiveSensitivity.Fingerprint(plan)).SeedsDone);
        var resumed = ProgressiveSensitivity.RunOrLoad(plan, folder);
        Assert.Equal(full.Perturbations, resumed.Perturbations);
        Assert.Equal(full.FineTunes, resumed.FineTunes);
        var written = File.GetLastWriteTimeUtc(planPath);
        Assert.Equal(full.Perturbations, ProgressiveSensitivity.RunOrLoad(plan, folder).Perturbations);
        Assert.Equal(written, File.GetLastWriteTimeUtc(planPath));

        // The fingerprint names runs by id: a field added at its default leaves it unchanged; another γ changes it, and
        // then the folder's rows are not read.
        Assert.Equal(ProgressiveSensitivity.Fingerprint(plan), ProgressiveSensitivity.Fingerprint(plan with { PreTrain = plan.PreTrain with { SpikeRestart = 0 } }));
        Assert.Empty(ProgressiveSensitivityResults.Read(folder, ProgressiveSensitivity.Fingerprint(plan with { Gammas = [0.1] })).SeedsDone);
    }
}
