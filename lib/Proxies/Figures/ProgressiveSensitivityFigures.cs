using Proxies.Experiments;

namespace Proxies.Figures;

/// <summary>Springer et al. 2025's figures at workbook scale: loss increase under perturbation against training time,
/// the loss after fine-tuning against training time, and the two-layer linear toy.</summary>
public static class ProgressiveSensitivityFigures
{
    /// <summary>Left: the loss increase under each γ against pre-training tokens per non-embedding parameter, the mean over
    /// pre-training seeds with a band from the lowest seed to the highest (each seed's value a mean over its noise draws).
    /// Right: the perturbed loss itself beside the unperturbed one (a U-shape where a γ's line turns up). A dotted line
    /// marks where the last seed's loss flattened (<see cref="ProgressiveSensitivityResults.FlatStep"/>).</summary>
    public static Figure Perturbation(ProgressiveSensitivityPlan plan, ProgressiveSensitivityResults results)
    {
        var gammas = results.Gammas;
        var increase = gammas.Select((g, i) => OverSeeds($"γ {g:G2}", plan, results, (seed, step) => results.Perturbation(seed, step, g).LossIncrease, Palette.ColourFor(i))).ToList();
        var loss = gammas.Select((g, i) => OverSeeds($"γ {g:G2}", plan, results, (seed, step) => results.Perturbation(seed, step, g).PerturbedLoss, Palette.ColourFor(i)))
            .Append(OverSeeds("unperturbed", plan, results, results.BaseLoss, "#000000", LineDash.Dash)).ToList();
        return Figure.SideBySide("progressive-sensitivity-perturbation", "Perturbing checkpoints by γ·σ_init: loss increase and perturbed loss against training length",
            new Panel(TokensAxis, "loss increase (nats)", [.. increase, FlatMarker(plan, results, increase)], LogX: true, LogY: true, Title: "loss increase"),
            new Panel(TokensAxis, "held-out loss, pre-training domain", [.. loss, FlatMarker(plan, results, loss)], LogX: true, Title: "perturbed loss"));
    }

    /// <summary>Held-out losses of each checkpoint before and after fine-tuning on the other domain, against pre-training
    /// tokens per parameter: means over pre-training seeds (after: each seed's mean over fine-tuning seeds), bands from the
    /// lowest seed to the highest.</summary>
    public static Figure FineTuning(ProgressiveSensitivityPlan plan, ProgressiveSensitivityResults results)
    {
        Series Before(Func<FineTuneRow, double> value, int colour) => OverSeeds("before fine-tuning", plan, results,
            (seed, step) => value(results.FineTunes.First(r => r.PretrainSeed == seed && r.Step == step)), Palette.ColourFor(colour), LineDash.Dash);
        var pretrain = new[] { Before(r => r.PretrainLossBefore, 0), OverSeeds("after fine-tuning", plan, results, results.PretrainLossAfter, Palette.ColourFor(0)) };
        var fiction = new[] { Before(r => r.FineTuneLossBefore, 1), OverSeeds("after fine-tuning", plan, results, results.FineTuneLossAfter, Palette.ColourFor(1)) };
        return Figure.SideBySide("progressive-sensitivity-fine-tuning", "Fine-tuning every checkpoint with one fixed LR on the other domain",
            new Panel(TokensAxis, "held-out loss", [.. pretrain, FlatMarker(plan, results, pretrain)], LogX: true, Title: "pre-training domain (non-fiction)"),
            new Panel(TokensAxis, "held-out loss", [.. fiction, FlatMarker(plan, results, fiction)], LogX: true, Title: "fine-tuning domain (fiction)"));
    }

    const string TokensAxis = "pre-training tokens per non-embedding parameter";

    /// <summary>A value at every checkpoint: the mean over the pre-training seeds, with a band from the lowest to the highest.</summary>
    static Series OverSeeds(string name, ProgressiveSensitivityPlan plan, ProgressiveSensitivityResults results, Func<int, int, double> value,
        string colour, LineDash dash = LineDash.Solid)
    {
        var steps = results.Checkpoints;
        var perSeed = steps.Select(step => results.SeedsDone.Select(seed => value(seed, step)).ToList()).ToList();
        return new Series(name, steps.Select(s => plan.TokensPerParameter(plan.TokensAt(s))).ToList(), perSeed.Select(v => v.Average()).ToList(), colour, dash, Markers: true)
        {
            Band = (perSeed.Select(v => v.Min()).ToList(), perSeed.Select(v => v.Max()).ToList()),
        };
    }

    /// <summary>A dotted vertical line at the checkpoint where the last of the seeds' losses flattened, spanning
    /// <paramref name="over"/>'s values.</summary>
    static Series FlatMarker(ProgressiveSensitivityPlan plan, ProgressiveSensitivityResults results, IReadOnlyList<Series> over)
    {
        double x = plan.TokensPerParameter(plan.TokensAt(results.SeedsDone.Max(results.FlatStep)));
        var ys = over.SelectMany(s => s.Band is { } b ? b.Low.Concat(b.High) : s.Y).Where(double.IsFinite).ToList();
        return new Series($"loss flat (within {ProgressiveSensitivityResults.FlatWithin:G2} nats of the end)", [x, x], [ys.Min(), ys.Max()], "#777777", LineDash.Dot);
    }

    /// <summary>The toy: singular values of W₂W₁ against step (targets dotted), and the loss increase of each δ, measured
    /// (markers) and exact (dashed), beside the perturbed loss L + E[ΔL].</summary>
    public static Figure LinearToy(LinearToy toy, IReadOnlyList<LinearToyPoint> points)
    {
        var steps = points.Select(p => (double)p.Step).ToList();
        var targets = toy.Target.OrderDescending().ToList();
        var modes = targets.SelectMany((s, k) => new[]
        {
            new Series($"mode {k + 1} (s = {s:G3})", steps, points.Select(p => p.SingularValues[k]).ToList(), Palette.ColourFor(k)),
            new Series($"mode {k + 1} target", [steps[0], steps[^1]], [s, s], Palette.ColourFor(k), LineDash.Dot),
        }).ToList();
        var deltas = toy.PerturbationSizes;
        var increase = deltas.SelectMany((d, i) => new[]
        {
            new Series($"δ {d:G2}: measured", steps, points.Select(p => p.MeasuredIncrease[i]).ToList(), Palette.ColourFor(i)),
            new Series($"δ {d:G2}: exact E[ΔL]", steps, points.Select(p => p.ExpectedIncrease[i]).ToList(), Palette.ColourFor(i), LineDash.Dash),
        }).ToList();
        var perturbed = deltas.Select((d, i) => new Series($"δ {d:G2}: L + E[ΔL]", steps,
            points.Select(p => p.Loss + p.ExpectedIncrease[i]).ToList(), Palette.ColourFor(i), LineDash.Dot))
            .Append(new Series("L, unperturbed", steps, points.Select(p => p.Loss).ToList(), "#000000")).ToList();
        return Figure.SideBySide("linear-toy", "Two-layer linear network: modes learned one by one, and a growing sensitivity",
            new Panel("step", "singular value of W₂W₁", modes, Title: "learned modes"),
            new Panel("step", "loss increase", increase, LogY: true, Title: "loss increase under perturbation"),
            new Panel("step", "loss", perturbed, LogY: true, Title: "perturbed loss"));
    }
}
