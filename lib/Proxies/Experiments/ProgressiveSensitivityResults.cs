using System.Text.Json;
using System.Text.Json.Nodes;
using Proxies.Claims;
using Proxies.Results;
using Proxies.Runtime;

namespace Proxies.Experiments;

/// <summary>One checkpoint of one pre-training seed perturbed by one γ: its held-out loss, and the loss increase averaged
/// over <paramref name="NoiseDraws"/> fresh noise directions with their standard deviation.</summary>
public sealed record PerturbationRow(int PretrainSeed, int Step, long Tokens, double Gamma, double BaseLoss, double LossIncrease,
    double LossIncreaseSpread, int NoiseDraws)
{
    public double PerturbedLoss => BaseLoss + LossIncrease;
}

/// <summary>One checkpoint fine-tuned by one fine-tuning seed on the other domain: held-out losses on both domains before
/// and after.</summary>
public sealed record FineTuneRow(int PretrainSeed, int Step, long Tokens, int FineTuneSeed, double PretrainLossBefore, double PretrainLossAfter,
    double FineTuneLossBefore, double FineTuneLossAfter);

/// <summary>
/// The study's two tables (perturbation.csv: one row per pre-training seed, checkpoint and γ; finetune.csv: one row per
/// pre-training seed, checkpoint and fine-tuning seed), the seeds they are complete for, and the questions notebook 11
/// asks of them. Where the loss has flattened is fixed in advance: from the first checkpoint whose held-out loss is within
/// <see cref="FlatWithin"/> of the seed's last checkpoint's.
/// </summary>
public sealed record ProgressiveSensitivityResults(IReadOnlyList<PerturbationRow> Perturbations, IReadOnlyList<FineTuneRow> FineTunes,
    IReadOnlyList<int> SeedsDone, double WallSeconds)
{
    /// <summary>The loss has flattened at a checkpoint within this many nats of the last checkpoint's held-out loss.</summary>
    public const double FlatWithin = 0.05;

    const string PerturbationFile = "perturbation.csv", FineTuneFile = "finetune.csv", PlanFile = "plan.json";

    public static readonly ProgressiveSensitivityResults Empty = new([], [], [], 0);

    public IReadOnlyList<int> Checkpoints => Perturbations.Select(r => r.Step).Distinct().Order().ToList();
    public IReadOnlyList<double> Gammas => Perturbations.Select(r => r.Gamma).Distinct().Order().ToList();

    /// <summary>The held-out loss of a seed's checkpoint, unperturbed.</summary>
    public double BaseLoss(int seed, int step) => Perturbations.First(r => r.PretrainSeed == seed && r.Step == step).BaseLoss;

    public PerturbationRow Perturbation(int seed, int step, double gamma) =>
        Perturbations.Single(r => r.PretrainSeed == seed && r.Step == step && r.Gamma == gamma);

    /// <summary>The first checkpoint of <paramref name="seed"/> whose held-out loss is within <see cref="FlatWithin"/> of
    /// its last checkpoint's.</summary>
    public int FlatStep(int seed)
    {
        var steps = Checkpoints;
        double last = BaseLoss(seed, steps[^1]);
        return steps.First(s => BaseLoss(seed, s) - last <= FlatWithin);
    }

    /// <summary>A seed's non-fiction loss after fine-tuning a checkpoint, mean over fine-tuning seeds.</summary>
    public double PretrainLossAfter(int seed, int step) => FineTunes.Where(r => r.PretrainSeed == seed && r.Step == step).Average(r => r.PretrainLossAfter);

    /// <summary>A seed's fiction loss after fine-tuning a checkpoint, mean over fine-tuning seeds.</summary>
    public double FineTuneLossAfter(int seed, int step) => FineTunes.Where(r => r.PretrainSeed == seed && r.Step == step).Average(r => r.FineTuneLossAfter);

    /// <summary>These results with one more seed's rows (replacing any it had).</summary>
    public ProgressiveSensitivityResults With(int seed, IReadOnlyList<PerturbationRow> perturbations, IReadOnlyList<FineTuneRow> fineTunes, double seconds) => new(
        [.. Perturbations.Where(r => r.PretrainSeed != seed), .. perturbations],
        [.. FineTunes.Where(r => r.PretrainSeed != seed), .. fineTunes],
        [.. SeedsDone.Where(s => s != seed).Append(seed).Order()], WallSeconds + seconds);

    /// <summary>Writes both tables, then <paramref name="planJson"/> last, each atomically: a seed counts as done only once
    /// plan.json names it, so a study killed between files reruns that seed.</summary>
    public void Write(string folder, string planJson)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, PerturbationFile),
            Csv.Line(["pretrain_seed", "step", "tokens", "gamma", "base_loss", "loss_increase", "loss_increase_spread", "noise_draws"]) + "\n"
            + string.Concat(Perturbations.Select(r => Csv.Line([Int(r.PretrainSeed), Int(r.Step), r.Tokens.ToString(), Csv.Format(r.Gamma),
                Csv.Format(r.BaseLoss), Csv.Format(r.LossIncrease), Csv.Format(r.LossIncreaseSpread), Int(r.NoiseDraws)]) + "\n")));
        AtomicFile.WriteAllText(Path.Combine(folder, FineTuneFile),
            Csv.Line(["pretrain_seed", "step", "tokens", "finetune_seed", "pretrain_loss_before", "pretrain_loss_after", "finetune_loss_before", "finetune_loss_after"]) + "\n"
            + string.Concat(FineTunes.Select(r => Csv.Line([Int(r.PretrainSeed), Int(r.Step), r.Tokens.ToString(), Int(r.FineTuneSeed),
                Csv.Format(r.PretrainLossBefore), Csv.Format(r.PretrainLossAfter), Csv.Format(r.FineTuneLossBefore), Csv.Format(r.FineTuneLossAfter)]) + "\n")));
        AtomicFile.WriteAllText(Path.Combine(folder, PlanFile), planJson);
    }

    /// <summary>The rows of the seeds <paramref name="folder"/>'s plan.json names as done, when its fingerprint is
    /// <paramref name="fingerprint"/>; otherwise (another plan, a torn or missing file) nothing.</summary>
    public static ProgressiveSensitivityResults Read(string folder, string fingerprint)
    {
        string planPath = Path.Combine(folder, PlanFile), perturbPath = Path.Combine(folder, PerturbationFile), fineTunePath = Path.Combine(folder, FineTuneFile);
        if (!File.Exists(planPath) || !File.Exists(perturbPath) || !File.Exists(fineTunePath)) return Empty;
        JsonNode? plan;
        try { plan = JsonNode.Parse(File.ReadAllText(planPath)); }
        catch (Exception e) when (e is JsonException or InvalidOperationException) { return Empty; }   // a torn or older file: recompute
        if ((string?)plan?["fingerprint"] != fingerprint || plan?["seeds_done"] is not JsonArray done) return Empty;
        var seeds = done.Select(n => (int)n!).Order().ToList();
        var perturbations = Csv.ReadRecords(perturbPath).Select(f => new PerturbationRow(int.Parse(f["pretrain_seed"]), int.Parse(f["step"]), long.Parse(f["tokens"]),
            Csv.ParseDouble(f["gamma"]), Csv.ParseDouble(f["base_loss"]), Csv.ParseDouble(f["loss_increase"]), Csv.ParseDouble(f["loss_increase_spread"]),
            int.Parse(f["noise_draws"]))).Where(r => seeds.Contains(r.PretrainSeed)).ToList();
        var fineTunes = Csv.ReadRecords(fineTunePath).Select(f => new FineTuneRow(int.Parse(f["pretrain_seed"]), int.Parse(f["step"]), long.Parse(f["tokens"]),
            int.Parse(f["finetune_seed"]), Csv.ParseDouble(f["pretrain_loss_before"]), Csv.ParseDouble(f["pretrain_loss_after"]),
            Csv.ParseDouble(f["finetune_loss_before"]), Csv.ParseDouble(f["finetune_loss_after"]))).Where(r => seeds.Contains(r.PretrainSeed)).ToList();
        return new(perturbations, fineTunes, seeds, (double?)plan?["wall_seconds"] ?? 0);
    }

    static string Int(int i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
