using System.Text.Json.Nodes;
using System.Text.Json;
using Proxies.Data;
using Proxies.Model;
using Proxies.Optimization;
using Proxies.Results;
using Proxies.Runtime;
using Proxies.Training;
using static TorchSharp.torch;

namespace Proxies.Experiments;

/// <summary>One perturbed checkpoint: θ̃ = θ + γ·σ_init·ξ with one noise seed, and its held-out loss.</summary>
public sealed record PerturbationRow(int Step, long Tokens, double Gamma, int NoiseSeed, double BaseLoss, double PerturbedLoss)
{
    public double Increase => PerturbedLoss - BaseLoss;
}

/// <summary>One checkpoint fine-tuned on the other domain: held-out losses on both domains before and after.</summary>
public sealed record FineTuneRow(int Step, long Tokens, double PretrainLossBefore, double PretrainLossAfter, double FineTuneLossBefore, double FineTuneLossAfter);

/// <summary>What the study runs: the pre-training run, the steps at which it is checkpointed, the perturbation sizes
/// γ and noise seeds, and the fine-tuning run started from each checkpoint.</summary>
public sealed record ProgressiveSensitivityPlan(TrainConfig PreTrain, IReadOnlyList<int> Checkpoints, IReadOnlyList<double> Gammas,
    int NoiseSeeds, TrainConfig FineTune);

/// <summary>
/// Progressive sensitivity (Springer et al. 2025): the longer a model is pre-trained, the more a fixed perturbation of
/// its weights raises its loss, and the worse it ends after fine-tuning on another domain. One run is pre-trained on the
/// shipped corpus's non-fiction genres at a constant LR after warm-up (so that checkpoints differ only in training
/// time, not in how far a schedule has decayed), and checkpointed along the way. Each checkpoint is (1) perturbed,
/// every weight matrix and the embedding by θ̃ = θ + γ·σ_init·ξ with σ_init that tensor's init std and ξ ~ N(0, I)
/// (LayerNorm gains, initialised at 1 with no noise, are left alone), and (2) fine-tuned with one fixed LR on the
/// fiction genres, then scored on both domains.
/// </summary>
public static class ProgressiveSensitivity
{
    public const string PretrainData = "brown:abcdefghj", FineTuneData = "brown:klmnpr";

    public static ProgressiveSensitivityPlan Plan(Profile profile)
    {
        var ladder = Ladder.For(profile);
        var size = ladder.Sizes[ladder.Sizes.Count / 2];
        (int steps, int[] checkpoints, int fineTuneSteps) = profile switch
        {
            Profile.Smoke => (200, new[] { 20, 50, 100, 200 }, 20),
            Profile.Quick => (2000, new[] { 50, 100, 200, 400, 700, 1000, 1500, 2000 }, 200),
            _ => (100_000, new[] { 2_000, 5_000, 10_000, 20_000, 40_000, 60_000, 80_000, 100_000 }, 5_000),
        };
        var pretrain = ladder.Base(size, 3e-3) with
        {
            Experiment = "progressive-sensitivity", Variant = "pre-train", Steps = steps, MinLr = 3e-3, Data = PretrainData,
            ProbeEvery = Math.Max(1, steps / 100),
        };
        var fineTune = pretrain with
        {
            Variant = "fine-tune", Steps = fineTuneSteps, WarmupSteps = Math.Max(1, fineTuneSteps / 10), Lr = 1e-3, MinLr = 1e-3,
            Data = FineTuneData, ProbeEvery = Math.Max(1, fineTuneSteps / 20),
        };
        return new(pretrain, checkpoints, [0.05, 0.1, 0.2, 0.4], profile == Profile.Smoke ? 2 : 3, fineTune);
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
            if (std > 0) group.Parameter.add_(randn(group.Parameter.shape, generator: generator, device: group.Parameter.device), alpha: gamma * std);
        }
    }

    /// <summary>Runs the study, or reads it from <paramref name="folder"/> when it holds the same plan's results.</summary>
    public static (IReadOnlyList<PerturbationRow> Perturbations, IReadOnlyList<FineTuneRow> FineTunes) RunOrLoad(
        ProgressiveSensitivityPlan plan, string folder, Device? device = null, IProgress<string>? progress = null)
    {
        var fingerprint = Fingerprint(plan);
        var planJson = PlanJson(plan);
        string planPath = Path.Combine(folder, "plan.json"), perturbPath = Path.Combine(folder, "perturbation.csv"), fineTunePath = Path.Combine(folder, "finetune.csv");
        if (File.Exists(planPath) && File.Exists(perturbPath) && File.Exists(fineTunePath) && FingerprintOf(planPath) == fingerprint)
            return (ReadPerturbations(perturbPath), ReadFineTunes(fineTunePath));
        var (perturbations, fineTunes) = Run(plan, device ?? CPU, progress);
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(perturbPath, Csv.Line(["step", "tokens", "gamma", "noise_seed", "base_loss", "perturbed_loss", "increase"]) + "\n"
            + string.Concat(perturbations.Select(r => Csv.Line([r.Step.ToString(), r.Tokens.ToString(), Csv.Format(r.Gamma), r.NoiseSeed.ToString(),
                Csv.Format(r.BaseLoss), Csv.Format(r.PerturbedLoss), Csv.Format(r.Increase)]) + "\n")));
        AtomicFile.WriteAllText(fineTunePath, Csv.Line(["step", "tokens", "pretrain_loss_before", "pretrain_loss_after", "finetune_loss_before", "finetune_loss_after"]) + "\n"
            + string.Concat(fineTunes.Select(r => Csv.Line([r.Step.ToString(), r.Tokens.ToString(), Csv.Format(r.PretrainLossBefore),
                Csv.Format(r.PretrainLossAfter), Csv.Format(r.FineTuneLossBefore), Csv.Format(r.FineTuneLossAfter)]) + "\n")));
        AtomicFile.WriteAllText(planPath, planJson);   // last: a folder without it is recomputed
        return (perturbations, fineTunes);
    }

    static (List<PerturbationRow>, List<FineTuneRow>) Run(ProgressiveSensitivityPlan plan, Device device, IProgress<string>? progress)
    {
        var pre = TokenStreams.Load(plan.PreTrain.Data!, plan.PreTrain.Vocab);
        var fine = TokenStreams.Load(plan.FineTune.Data!, plan.FineTune.Vocab);
        long tokensPerStep = (long)plan.PreTrain.BatchSize * plan.PreTrain.Model.SeqLen;
        var snapshots = new SortedDictionary<int, WeightSnapshot>();
        progress?.Report($"pre-training {plan.PreTrain.Steps} steps on {plan.PreTrain.Data}, checkpoints at {string.Join(", ", plan.Checkpoints)}");
        Trainer.Run(plan.PreTrain, device, afterStep: (step, model) =>
        {
            if (plan.Checkpoints.Contains(step + 1)) snapshots[step + 1] = new WeightSnapshot(MuParamGroups.Build(model));
        });

        var perturbations = new List<PerturbationRow>();
        var fineTunes = new List<FineTuneRow>();
        using var evalModel = new Transformer(plan.PreTrain.Model with { Vocab = pre.Vocab }, device);
        var evalGroups = MuParamGroups.Build(evalModel);
        foreach (var (step, snapshot) in snapshots)
        {
            snapshot.CopyInto(evalGroups);
            double baseLoss = Trainer.EvalLoss(evalModel, pre, plan.PreTrain, device);
            double fineBefore = Trainer.EvalLoss(evalModel, fine, plan.FineTune, device);
            foreach (var gamma in plan.Gammas)
                for (int seed = 0; seed < plan.NoiseSeeds; seed++)
                {
                    using var generator = new Generator((ulong)(1000 + seed));
                    Perturb(evalModel, gamma, generator);
                    perturbations.Add(new PerturbationRow(step, step * tokensPerStep, gamma, seed, baseLoss, Trainer.EvalLoss(evalModel, pre, plan.PreTrain, device)));
                    snapshot.CopyInto(evalGroups);
                }
            progress?.Report($"checkpoint {step}: loss {baseLoss:F3}; fine-tuning {plan.FineTune.Steps} steps on {plan.FineTune.Data}");
            double preAfter = double.NaN, fineAfter = double.NaN;
            Trainer.Run(plan.FineTune, device, startFrom: model => snapshot.CopyInto(MuParamGroups.Build(model)), afterStep: (s, model) =>
            {
                if (s != plan.FineTune.Steps - 1) return;
                preAfter = Trainer.EvalLoss(model, pre, plan.PreTrain, device);
                fineAfter = Trainer.EvalLoss(model, fine, plan.FineTune, device);
            });
            fineTunes.Add(new FineTuneRow(step, step * tokensPerStep, baseLoss, preAfter, fineBefore, fineAfter));
        }
        foreach (var s in snapshots.Values) s.Dispose();
        return (perturbations, fineTunes);
    }

    /// <summary>What identifies a plan's results: the two runs by their ids (which leave out fields at their defaults, so
    /// a config field added later does not make committed results look stale), the checkpoints, γ and noise seeds.</summary>
    public static string Fingerprint(ProgressiveSensitivityPlan plan) =>
        $"{plan.PreTrain.RunId} {string.Join(",", plan.Checkpoints)} {string.Join(",", plan.Gammas)} {plan.NoiseSeeds} {plan.FineTune.RunId}";

    /// <summary>plan.json: the fingerprint, and the full plan for the reader.</summary>
    public static string PlanJson(ProgressiveSensitivityPlan plan) => new JsonObject
    {
        ["fingerprint"] = Fingerprint(plan),
        ["plan"] = JsonSerializer.SerializeToNode(plan, TrainConfig.JsonOptions),
    }.ToJsonString(TrainConfig.JsonOptions);

    static string? FingerprintOf(string planPath)
    {
        try { return (string?)JsonNode.Parse(File.ReadAllText(planPath))?["fingerprint"]; }
        catch (Exception e) when (e is JsonException or InvalidOperationException) { return null; }   // an older or torn file: recompute
    }

    static List<PerturbationRow> ReadPerturbations(string path) =>
        Csv.Parse(File.ReadAllText(path)).Skip(1).Select(f => new PerturbationRow(int.Parse(f[0]), long.Parse(f[1]), Csv.ParseDouble(f[2]),
            int.Parse(f[3]), Csv.ParseDouble(f[4]), Csv.ParseDouble(f[5]))).ToList();

    static List<FineTuneRow> ReadFineTunes(string path) =>
        Csv.Parse(File.ReadAllText(path)).Skip(1).Select(f => new FineTuneRow(int.Parse(f[0]), long.Parse(f[1]), Csv.ParseDouble(f[2]),
            Csv.ParseDouble(f[3]), Csv.ParseDouble(f[4]), Csv.ParseDouble(f[5]))).ToList();
}
