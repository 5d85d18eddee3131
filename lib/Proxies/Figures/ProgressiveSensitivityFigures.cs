using Proxies.Experiments;

namespace Proxies.Figures;

/// <summary>Springer et al. 2025's figures at workbook scale: loss increase under perturbation against training time,
/// the loss after fine-tuning against training time, and the two-layer linear toy.</summary>
public static class ProgressiveSensitivityFigures
{
    /// <summary>Left: mean loss increase over noise seeds against tokens seen, one line per γ. Right: the perturbed loss
    /// itself, beside the unperturbed one (a U-shape where a γ's line turns up).</summary>
    public static Figure Perturbation(IReadOnlyList<PerturbationRow> rows)
    {
        var gammas = rows.Select(r => r.Gamma).Distinct().Order().ToList();
        var steps = rows.GroupBy(r => r.Tokens).OrderBy(g => g.Key).ToList();
        var x = steps.Select(g => (double)g.Key).ToList();
        var increase = gammas.Select((g, i) => new Series($"γ {g:G2}", x,
            steps.Select(s => s.Where(r => r.Gamma == g).Average(r => r.Increase)).ToList(), Palette.ColourFor(i), Markers: true)).ToList();
        var loss = gammas.Select((g, i) => new Series($"γ {g:G2}", x,
            steps.Select(s => s.Where(r => r.Gamma == g).Average(r => r.PerturbedLoss)).ToList(), Palette.ColourFor(i), Markers: true))
            .Append(new Series("unperturbed", x, steps.Select(s => s.First().BaseLoss).ToList(), "#000000", LineDash.Dash, Markers: true)).ToList();
        return Figure.SideBySide("progressive-sensitivity-perturbation", "Perturbing checkpoints by γ·σ_init: the same noise hurts more the longer the model trained",
            new Panel("pre-training tokens", "loss increase (nats)", increase, LogX: true, LogY: true, Title: "loss increase, mean over noise seeds"),
            new Panel("pre-training tokens", "held-out loss, pre-training domain", loss, LogX: true, Title: "perturbed loss"));
    }

    /// <summary>Held-out losses of each checkpoint before and after fine-tuning on the other domain, against tokens seen.</summary>
    public static Figure FineTuning(IReadOnlyList<FineTuneRow> rows)
    {
        var x = rows.Select(r => (double)r.Tokens).ToList();
        return Figure.SideBySide("progressive-sensitivity-fine-tuning", "Fine-tuning every checkpoint with one fixed LR on the other domain",
            new Panel("pre-training tokens", "held-out loss", [
                new Series("before fine-tuning", x, rows.Select(r => r.PretrainLossBefore).ToList(), Palette.ColourFor(0), LineDash.Dash, Markers: true),
                new Series("after fine-tuning", x, rows.Select(r => r.PretrainLossAfter).ToList(), Palette.ColourFor(0), Markers: true)],
                LogX: true, Title: "pre-training domain (non-fiction)"),
            new Panel("pre-training tokens", "held-out loss", [
                new Series("before fine-tuning", x, rows.Select(r => r.FineTuneLossBefore).ToList(), Palette.ColourFor(1), LineDash.Dash, Markers: true),
                new Series("after fine-tuning", x, rows.Select(r => r.FineTuneLossAfter).ToList(), Palette.ColourFor(1), Markers: true)],
                LogX: true, Title: "fine-tuning domain (fiction)"));
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
