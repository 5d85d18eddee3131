using Proxies.Experiments;
using Proxies.Model;
using Proxies.Optimization;
using static TorchSharp.torch;

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
            double std = delta.square().mean().sqrt().item<double>();
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
            Proxies.Training.ConfigValidation.EnsureRules(plan.PreTrain);   // the rules, not this machine's memory (paper: a GPU)
            Proxies.Training.ConfigValidation.EnsureRules(plan.FineTune);
        }
    }

    [Fact]
    public void ResultsOfTheSamePlanAreReadNotRecomputed()
    {
        var plan = ProgressiveSensitivity.Plan(Profile.Smoke);
        var folder = Directory.CreateTempSubdirectory().FullName;
        File.WriteAllText(Path.Combine(folder, "plan.json"), ProgressiveSensitivity.PlanJson(plan));
        File.WriteAllText(Path.Combine(folder, "perturbation.csv"), "step,tokens,gamma,noise_seed,base_loss,perturbed_loss,increase\n20,5120,0.1,0,2.5,2.75,0.25\n");
        File.WriteAllText(Path.Combine(folder, "finetune.csv"), "step,tokens,pretrain_loss_before,pretrain_loss_after,finetune_loss_before,finetune_loss_after\n20,5120,2.5,2.4,2.6,2.3\n");
        var (perturbations, fineTunes) = ProgressiveSensitivity.RunOrLoad(plan, folder);
        Assert.Equal(0.25, Assert.Single(perturbations).Increase, 12);
        Assert.Equal(2.3, Assert.Single(fineTunes).FineTuneLossAfter, 12);
        // The fingerprint names runs by id: a field added at its default leaves it unchanged; another γ changes it.
        Assert.Equal(ProgressiveSensitivity.Fingerprint(plan), ProgressiveSensitivity.Fingerprint(plan with { PreTrain = plan.PreTrain with { SpikeRestart = 0 } }));
        Assert.NotEqual(ProgressiveSensitivity.Fingerprint(plan), ProgressiveSensitivity.Fingerprint(plan with { Gammas = [0.1] }));
    }
}
