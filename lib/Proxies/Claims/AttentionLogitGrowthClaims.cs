namespace Proxies.Claims;

/// <summary>Notebook 01 (Figs 1, 2): attention-logit growth without qk-layernorm, on one seed.</summary>
public static class AttentionLogitGrowthClaims
{
    const string Experiment = "attention-logit-growth";
    static readonly string On = QkLayerNormClaims.On, Off = QkLayerNormClaims.Off;

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
        QkLayerNormClaims.PenaltyGrowsWithoutQkLn("01", Experiment),
        QkLayerNormClaims.QkLnLowersSensitivity("01", Experiment),
        QkLayerNormClaims.SensitivityGrowsWithoutQkLn("01", Experiment),
        new("01.above-1e4-diverges", Experiment,
            "Every run whose max attention logit passed 10⁴ diverged (§3.1).",
            "min over runs whose max logit passed 1e4 and ended finite of (final loss − loss at initialisation); +1 when every such " +
            "run ended in NaN (diverged by definition): above 0 when every such run diverged, nats", Direction.Positive, Unit.Nats,
            s => s.Runs.Where(r => r.MaxAttnLogit > 1e4).ToList() is { Count: > 0 } above
                ? above.Where(r => double.IsFinite(r.FinalEvalLoss)).Select(r => r.FinalEvalLoss - r.InitialLoss).DefaultIfEmpty(1.0).Min()
                : null)
        {
            RerunTerms = 1,   // one final loss against ℓ0, which a rerun reproduces exactly
        },
    ];
}
