namespace Proxies.Claims;

/// <summary>Notebook 01 (Figs 1, 2): attention-logit growth without qk-layernorm, on one seed.</summary>
public static class AttentionLogitGrowthClaims
{
    const string Experiment = "attention-logit-growth", On = "qk-ln on", Off = "qk-ln off";

    static double TopLr(SeedRuns s) => s.Runs.Max(r => r.Config.Lr);

    public static IReadOnlyList<Claim> All { get; } =
    [
        new("01.qkln-bounds-logits", Experiment,
            "Without qk-layernorm the max attention logit grows by orders of magnitude at a high LR; qk-layernorm prevents it (Fig 2).",
            "min over widths of log10(max logit without qk-LN / with qk-LN) at the top LR", Direction.Positive, Unit.Decades,
            s => SeedRuns.AtEvery(s.Widths(On), w => s.LogMaxLogit(Off, w, TopLr(s)) - s.LogMaxLogit(On, w, TopLr(s)))),
        new("01.qkln-lowers-top-loss", Experiment,
            "The logit growth costs loss: without qk-layernorm the top LR ends worse (Figs 1, 2).",
            "min over widths of (final loss without qk-LN − with) at the top LR, nats", Direction.Positive, Unit.Nats,
            s => SeedRuns.AtEvery(s.Widths(On), w => s.Loss(Off, w, TopLr(s)) - s.Loss(On, w, TopLr(s)))),
        new("01.penalty-grows-without-qkln", Experiment,
            "Without qk-layernorm the LR at which training breaks falls as the model grows (Fig 1).",
            "loss at LR 0.1 above the size's best, largest width − smallest, without qk-LN, nats", Direction.Positive, Unit.Nats,
            s => s.Widths(Off) is { Count: > 1 } w ? s.Penalty(Off, w[^1], 0.1) - s.Penalty(Off, w[0], 0.1) : null),
        new("01.qkln-lowers-sensitivity", Experiment,
            "qk-layernorm lowers LR sensitivity at every size (Fig 1).",
            "min over widths of (LR sensitivity without qk-LN − with), nats", Direction.Positive, Unit.Nats,
            s => SeedRuns.AtEvery(s.Widths(On), w => s.Sensitivity(Off, w) - s.Sensitivity(On, w))),
        new("01.sensitivity-grows-without-qkln", Experiment,
            "Without qk-layernorm LR sensitivity grows with size (Fig 1).",
            "LR sensitivity without qk-LN, largest width − smallest, nats", Direction.Positive, Unit.Nats,
            s => s.Widths(Off) is { Count: > 1 } w ? s.Sensitivity(Off, w[^1]) - s.Sensitivity(Off, w[0]) : null),
        new("01.above-1e4-diverges", Experiment,
            "Every run whose max attention logit passed 10⁴ diverged (§3.1).",
            "min over runs whose max logit passed 1e4 of (final loss − loss at initialisation), a run that ended in NaN counted as the " +
            "largest double: above 0 when every such run diverged, nats", Direction.Positive, Unit.Nats,
            s => s.Runs.Where(r => r.MaxAttnLogit > 1e4)
                .Select(r => (double?)(double.IsFinite(r.FinalEvalLoss) ? r.FinalEvalLoss - r.InitialLoss : double.MaxValue)).Min()),
    ];
}
