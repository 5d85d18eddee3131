using System.Text.Json;
using System.Text.Json.Nodes;
using Proxies.Data;
using Proxies.Model;
using Proxies.Optimization;
using Proxies.Runtime;
using Proxies.Training;
using static TorchSharp.torch;

namespace Proxies.Experiments;

/// <summary>What the study runs: the pre-training run and its seeds, the steps at which each is checkpointed, the
/// perturbation sizes γ and noise draws per checkpoint, and the fine-tuning run started from each checkpoint with its
/// seeds.</summary>
public sealed record ProgressiveSensitivityPlan(TrainConfig PreTrain, IReadOnlyList<int> Seeds, IReadOnlyList<int> Checkpoints,
    IReadOnlyList<double> Gammas, int NoiseSeeds, TrainConfig FineTune, IReadOnlyList<int> FineTuneSeeds)
{
    /// <summary>Pre-training tokens per non-embedding parameter at a checkpoint: the axis of Springer et al.'s regime
    /// (OLMo-1B at 3T tokens is ~3,000 per parameter).</summary>
    public double TokensPerParameter(long tokens) => (double)tokens / PreTrain.Model.NonEmbeddingParams;

    public long TokensAt(int step) => (long)step * PreTrain.BatchSize * PreTrain.Model.SeqLen;
}

/// <summary>
/// Progressive sensitivity (Springer et al. 2025): the longer a model is pre-trained, the more a fixed perturbation of
/// its weights raises its loss, and the worse it ends after fine-tuning on another domain. The claim is about the phase
/// after the loss has flattened, many tokens per parameter into training, so the study uses the ladder's smallest model
/// (12k non-embedding parameters at quick), which reaches ~1,600 tokens per parameter in minutes on 2 cores. Each of
/// three seeds is pre-trained on the shipped corpus's non-fiction genres at a constant LR after warm-up (checkpoints
/// then differ only in training time, not in how far a schedule has decayed) and checkpointed along the way. Each
/// checkpoint is (1) perturbed, every weight matrix and the embedding by θ̃ = θ + γ·σ_init·ξ with σ_init that tensor's
/// init std and ξ ~ N(0, I) drawn afresh for each checkpoint (LayerNorm gains, initialised at 1 with no noise, are
/// left alone), and (2) fine-tuned with one fixed LR on the fiction genres by several fine-tuning seeds, then scored on
/// both domains.
/// </summary>
public static class ProgressiveSensitivity
{
    public const string PretrainData = "brown:abcdefghj", FineTuneData = "brown:klmnpr";

    public static ProgressiveSensitivityPlan Plan(Profile profile)
    {
        var ladder = Ladder.For(profile);
        var size = ladder.Sizes[0];
        (int steps, int[] checkpoints, int fineTuneSteps, int seeds) = profile switch
        {
            Profile.Smoke => (200, new[] { 20, 50, 100, 200 }, 20, 2),
            // 10⁴ steps × 2,048 tokens: 20.5M tokens, 1,645 per non-embedding parameter (4.7 passes over the non-fiction).
            Profile.Quick => (10_000, new[] { 50, 100, 200, 400, 800, 1_500, 2_500, 4_000, 6_000, 8_000, 10_000 }, 200, 3),
            _ => (100_000, new[] { 2_000, 5_000, 10_000, 20_000, 40_000, 60_000, 80_000, 100_000 }, 5_000, 3),
        };
        // LR 1e-2: the best of the quick LR grid at this width (notebook 03's runs), held after warm-up.
        var pretrain = ladder.Base(size, 1e-2) with
        {
            Experiment = "progressive-sensitivity", Variant = "pre-train", Steps = steps, MinLr = 1e-2, Data = PretrainData,
            ProbeEvery = Math.Max(1, steps / 100),
        };
        var fineTune = pretrain with
        {
            Variant = "fine-tune", Steps = fineTuneSteps, WarmupSteps = Math.Max(1, fineTuneSteps / 10), Lr = 1e-3, MinLr = 1e-3,
            Data = FineTuneData, ProbeEvery = Math.Max(1, fineTuneSteps / 20),
        };
        var seedList = Enumerable.Range(0, seeds).ToList();
        return new(pretrain, seedList, checkpoints, [0.05, 0.1, 0.2, 0.4], profile == Profile.Smoke ? 2 : 4, fineTune, seedList);
    }

    /// <summary>The init std of a parameter group's tensor (<see cref="Init"/>); 0 for gains, which are not perturbed.</summary>
    public static double InitStd(ParameterGroup group, ModelConfig config) => group.Kind switch
    {
        ParameterKind.Embedding => Init.EmbeddingStd(config.Width),
        ParameterKind.Linear => Init.LinearStd(group.FanIn),
        ParameterKind.Head => Init.HeadStd(config),
        _ => 0,
    };

    /// <summary>Adds γ·σ_init·ξ to every perturbed tensor of <paramref name="model"/>, ξ drawn from <paramref name="generator"/>.</summary>
    public static void Perturb(Transformer model, double gamma, Generator generator)
    {
        using var _ = no_grad();
        foreach (var group in MuParamGroups.Build(model))
        {
            double std = InitStd(group, model.Config);
            if (std > 0) group.Parameter.add_(randn(group.Parameter.shape, generator: generator, device: group.Parameter.device), alpha: LiveScalar.Of(gamma * std));
        }
    }

    /// <summary>The seed of noise draw <paramref name="draw"/> at one checkpoint of one pre-training seed: a fresh
    /// direction for every checkpoint, shared by the γ of that checkpoint (so the γ differ only in size).</summary>
    public static ulong NoiseSeed(int pretrainSeed, int step, int draw) => ((ulong)(uint)pretrainSeed << 40) | ((ulong)(uint)step << 8) | (uint)draw;

    /// <summary>Runs the study, or reads what <paramref name="folder"/> holds of the same plan and runs only the
    /// pre-training seeds missing there (each seed's rows are written as soon as it finishes, so a killed study goes on).</summary>
    public static ProgressiveSensitivityResults RunOrLoad(ProgressiveSensitivityPlan plan, string folder, Device? device = null, IProgress<string>? progress = null)
    {
        var stored = ProgressiveSensitivityResults.Read(folder, Fingerprint(plan));
        foreach (var seed in plan.Seeds.Where(s => !stored.SeedsDone.Contains(s)))
        {
            var started = DateTime.UtcNow;
            var (perturbations, fineTunes) = RunSeed(plan, seed, device ?? CPU, progress);
            stored = stored.With(seed, perturbations, fineTunes, (DateTime.UtcNow - started).TotalSeconds);
            stored.Write(folder, PlanJson(plan, stored));
        }
        return stored;
    }

    static (List<PerturbationRow>, List<FineTuneRow>) RunSeed(ProgressiveSensitivityPlan plan, int seed, Device device, IProgress<string>? progress)
    {
        var preTrain = plan.PreTrain with { Seed = seed };
        var pre = TokenStreams.Load(preTrain.Data!, preTrain.Vocab);
        var fine = TokenStreams.Load(plan.FineTune.Data!, plan.FineTune.Vocab);
        var snapshots = new SortedDictionary<int, WeightSnapshot>();
        // The snapshots are native tensors: freed however the seed ends, a failed run or an interrupt included.
        try
        {
            progress?.Report($"seed {seed}: pre-training {preTrain.Steps} steps on {preTrain.Data}, checkpoints at {string.Join(", ", plan.Checkpoints)}");
            Trainer.Run(preTrain, device, afterStep: (step, model) =>
            {
                if (plan.Checkpoints.Contains(step + 1)) snapshots[step + 1] = new WeightSnapshot(MuParamGroups.Build(model));
            });

            var perturbations = new List<PerturbationRow>();
            var fineTunes = new List<FineTuneRow>();
            using var evalModel = new Transformer(preTrain.Model with { Vocab = pre.Vocab }, device);
            var evalGroups = MuParamGroups.Build(evalModel);
            foreach (var (step, snapshot) in snapshots)
            {
                snapshot.CopyInto(evalGroups);
                double baseLoss = Trainer.EvalLoss(evalModel, pre, preTrain, device);
                double fineBefore = Trainer.EvalLoss(evalModel, fine, plan.FineTune, device);
                foreach (var gamma in plan.Gammas)
                {
                    var increases = new List<double>();
                    for (int draw = 0; draw < plan.NoiseSeeds; draw++)
                    {
                        using var generator = new Generator(NoiseSeed(seed, step, draw));
                        Perturb(evalModel, gamma, generator);
                        increases.Add(Trainer.EvalLoss(evalModel, pre, preTrain, device) - baseLoss);
                        snapshot.CopyInto(evalGroups);
                    }
                    perturbations.Add(new PerturbationRow(seed, step, plan.TokensAt(step), gamma, baseLoss, increases.Average(), Analysis.Sd(increases), increases.Count));
                }
                progress?.Report($"seed {seed}, checkpoint {step}: loss {baseLoss:F3}; fine-tuning {plan.FineTune.Steps} steps on {plan.FineTune.Data} with seeds {string.Join(", ", plan.FineTuneSeeds)}");
                foreach (var fineTuneSeed in plan.FineTuneSeeds)
                {
                    double preAfter = double.NaN, fineAfter = double.NaN;
                    var fineTune = plan.FineTune with { Seed = fineTuneSeed };
                    Trainer.Run(fineTune, device, startFrom: model => snapshot.CopyInto(MuParamGroups.Build(model)), afterStep: (s, model) =>
                    {
                        if (s != fineTune.Steps - 1) return;
                        preAfter = Trainer.EvalLoss(model, pre, preTrain, device);
                        fineAfter = Trainer.EvalLoss(model, fine, fineTune, device);
                    });
                    fineTunes.Add(new FineTuneRow(seed, step, plan.TokensAt(step), fineTuneSeed, baseLoss, preAfter, fineBefore, fineAfter));
                }
            }
            return (perturbations, fineTunes);
        }
        finally
        {
            foreach (var s in snapshots.Values) s.Dispose();
        }
    }

    /// <summary>What identifies a plan's results: the two runs by their ids (which leave out fields at their defaults, so
    /// a config field added later does not make committed results look stale), the seeds, checkpoints, γ and draws.</summary>
    public static string Fingerprint(ProgressiveSensitivityPlan plan) =>
        $"{plan.PreTrain.RunId} seeds {string.Join(",", plan.Seeds)} at {string.Join(",", plan.Checkpoints)} γ {string.Join(",", plan.Gammas)} × {plan.NoiseSeeds} fresh draws; " +
        $"{plan.FineTune.RunId} seeds {string.Join(",", plan.FineTuneSeeds)}";

    /// <summary>plan.json: the fingerprint, the seeds done and their wall time, and the full plan for the reader.</summary>
    static string PlanJson(ProgressiveSensitivityPlan plan, ProgressiveSensitivityResults done) => new JsonObject
    {
        ["fingerprint"] = Fingerprint(plan),
        ["seeds_done"] = new JsonArray(done.SeedsDone.Select(s => (JsonNode)s).ToArray()),
        ["wall_seconds"] = done.WallSeconds,
        ["plan"] = JsonSerializer.SerializeToNode(plan, TrainConfig.JsonOptions),
    }.ToJsonString(TrainConfig.JsonOptions);
}
