using Proxies.Experiments;

namespace Proxies.Claims;

/// <summary>
/// Notebook 11: Springer et al. 2025's claims, judged on the study's tables with the pre-training seeds as the noise
/// (each seed's value averages its noise draws or fine-tuning seeds first). Every statistic compares a seed's last
/// checkpoint with the checkpoint where its loss flattened (<see cref="ProgressiveSensitivityResults.FlatStep"/>), the
/// phase the paper's claim is about; a seed whose loss flattens only at its last checkpoint gives no value.
/// </summary>
public static class ProgressiveSensitivityClaims
{
    const string Experiment = "progressive-sensitivity";

    /// <summary>log₁₀ of the loss increase under γ at the last checkpoint over at the flat one: positive when the same
    /// perturbation hurts more after the loss has stopped improving.</summary>
    public static Claim SensitivityKeepsRising(double gamma) => new($"11.sensitivity-rises-after-flat.γ{gamma:G2}", Experiment,
        "after the loss flattens, the same perturbation keeps hurting more the longer the model trains",
        $"log₁₀(loss increase at the last checkpoint / at the flat checkpoint), γ {gamma:G2}", Direction.Positive, Unit.Decades);

    /// <summary>The perturbed loss at the last checkpoint − at the flat one: positive where the perturbed loss has turned up
    /// (the U-shape's rising side).</summary>
    public static Claim PerturbedLossTurnsUp(double gamma) => new($"11.perturbed-loss-turns-up.γ{gamma:G2}", Experiment,
        "for a large enough perturbation the perturbed loss turns up with more training (a U-shape)",
        $"perturbed loss at the last checkpoint − at the flat checkpoint, γ {gamma:G2}, nats", Direction.Positive, Unit.Nats);

    public static readonly Claim ForgettingTurnsUp = new("11.finetuned-pretrain-loss-turns-up", Experiment,
        "past some point, longer pre-training leaves the model worse on its pre-training domain after fine-tuning (a U-shape)",
        "non-fiction loss after fine-tuning, last checkpoint − flat checkpoint (mean over fine-tuning seeds), nats", Direction.Positive, Unit.Nats);

    public static readonly Claim FineTunedLossTurnsUp = new("11.finetuned-loss-turns-up", Experiment,
        "past some point, longer pre-training leaves the model worse on the fine-tuning domain itself (catastrophic overtraining)",
        "fiction loss after fine-tuning, last checkpoint − flat checkpoint (mean over fine-tuning seeds), nats", Direction.Positive, Unit.Nats);

    /// <summary>The γ the U-shape claim is judged at: the two largest. The paper claims the turn only for a perturbation
    /// large enough, and at a small γ the statistic cannot be positive here: the flat point is defined as within 0.05 nats
    /// of the end, so the unperturbed loss may still fall that much, more than a small γ's whole increase (0.003–0.024).</summary>
    public static IReadOnlyList<double> UShapeGammas(ProgressiveSensitivityResults results) => results.Gammas.TakeLast(2).ToList();

    /// <summary>Every claim judged on <paramref name="results"/>: per γ for the sensitivity claim, per large γ for the
    /// perturbed loss.</summary>
    public static IReadOnlyList<ClaimResult> Judge(ProgressiveSensitivityResults results)
    {
        double? AfterFlat(int seed, Func<int, double> at)
        {
            int flat = results.FlatStep(seed), last = results.Checkpoints[^1];
            return flat == last ? null : at(last) - at(flat);
        }
        ClaimResult On(Claim claim, Func<int, Func<int, double>> at) =>
            (claim with { WhenNone = "every seed's loss flattens only at its last checkpoint: nothing after the flat point to compare" })
                .Judge(results.SeedsDone.Select(seed => (seed, AfterFlat(seed, at(seed)))).ToList(), rerun: null);
        return
        [
            .. results.Gammas.Select(g => On(SensitivityKeepsRising(g), seed => step => Math.Log10(results.Perturbation(seed, step, g).LossIncrease))),
            .. UShapeGammas(results).Select(g => On(PerturbedLossTurnsUp(g), seed => step => results.Perturbation(seed, step, g).PerturbedLoss)),
            On(ForgettingTurnsUp, seed => step => results.PretrainLossAfter(seed, step)),
            On(FineTunedLossTurnsUp, seed => step => results.FineTuneLossAfter(seed, step)),
        ];
    }
}
