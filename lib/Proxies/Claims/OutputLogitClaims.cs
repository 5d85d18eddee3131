namespace Proxies.Claims;

/// <summary>Notebook 02 (Figs 3, 4 and the 2026 output-embedding-centering study): the head's mean row μ under Adam, and
/// the fixes for the output-logit divergence, on a 3-point LR grid.</summary>
public static class OutputLogitClaims
{
    const string Experiment = "output-logit-divergence", NoFix = "no fix";

    /// <summary>The grid has one size (width 64 at quick, 32 at smoke).</summary>
    static int Width(SeedRuns s) => s.Widths(NoFix) is [var w] ? w : throw new InvalidOperationException("the output-logit grid has one width");

    static double TopLr(SeedRuns s) => s.Runs.Max(r => r.Config.Lr);

    static double? LogMu(SeedRuns s, string variant, double lr) => s.Arm(variant, Width(s))?
        .Where(r => r.Config.Lr == lr).Select(r => (double?)Math.Log10(r.FinalHeadMuNorm)).SingleOrDefault();

    static Claim FixLowersSensitivity(string fix) => new($"02.{fix.Replace(' ', '-')}-lowers-sensitivity", Experiment,
        $"{fix} lowers LR sensitivity against no fix (the 2026 study, every fix).",
        $"LR sensitivity (3-point grid) of no fix − of {fix}, nats", Direction.Positive, Unit.Nats,
        s => s.Sensitivity(NoFix, Width(s)) - s.Sensitivity(fix, Width(s)));

    public static IReadOnlyList<Claim> All { get; } =
    [
        new("02.mu-grows-with-lr", Experiment,
            "Without a fix the head's mean row ‖μ‖ grows with the peak LR (the 2026 study's mechanism).",
            "log10(‖μ‖ at the top LR / at the lowest LR), no fix", Direction.Positive, Unit.Decades,
            s => LogMu(s, NoFix, TopLr(s)) - LogMu(s, NoFix, s.Runs.Min(r => r.Config.Lr))),
        new("02.sgd-leaves-mu", Experiment,
            "Cross-entropy gradients of the head rows sum to zero, so SGD never moves μ; Adam does.",
            "log10(‖μ‖ under AdamW / under SGD) at the top LR, no fix", Direction.Positive, Unit.Decades,
            s => LogMu(s, NoFix, TopLr(s)) - LogMu(s, "sgd", TopLr(s))),
        new("02.z-loss-helps-at-top-lr", Experiment,
            "z-loss prevents the output-logit divergence at a high LR (Figs 3, 4).",
            "final loss of no fix − of z-loss at the top LR, nats", Direction.Positive, Unit.Nats,
            s => s.Loss(NoFix, Width(s), TopLr(s)) - s.Loss("z-loss", Width(s), TopLr(s))),
        new("02.mu-centering-helps-at-top-lr", Experiment,
            "μ-centering prevents the divergence at a high LR (the 2026 study).",
            "final loss of no fix − of μ-centering at the top LR, nats", Direction.Positive, Unit.Nats,
            s => s.Loss(NoFix, Width(s), TopLr(s)) - s.Loss("mu-centering", Width(s), TopLr(s))),
        FixLowersSensitivity("z-loss"),
        FixLowersSensitivity("mu-centering"),
        FixLowersSensitivity("mu-loss"),
        FixLowersSensitivity("soft-cap"),
        FixLowersSensitivity("weight decay"),
    ];
}
