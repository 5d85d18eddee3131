namespace Proxies.Claims;

/// <summary>Notebook 03 (Fig 1): LR sensitivity against size, each size trained to the bigram criterion, with and
/// without qk-layernorm, on the ladder's seeds.</summary>
public static class LrSensitivityClaims
{
    const string Experiment = "lr-sensitivity-trained";
    static readonly string On = QkLayerNormClaims.On, Off = QkLayerNormClaims.Off;

    static double? Growth(SeedRuns s, string variant, Func<SeedRuns, string, int, double?> f) =>
        s.Widths(variant) is { Count: > 1 } w ? f(s, variant, w[^1]) - f(s, variant, w[0]) : null;

    static double? Sens(SeedRuns s, string v, int w) => s.Sensitivity(v, w);
    static double? High(SeedRuns s, string v, int w) => s.HighLrShare(v, w);
    static double? Gain(SeedRuns s, int w) => s.Sensitivity(Off, w) - s.Sensitivity(On, w);

    public static IReadOnlyList<Claim> All { get; } =
    [
        QkLayerNormClaims.SensitivityGrowsWithoutQkLn("03", Experiment),
        new("03.sensitivity-grows-64-to-128", Experiment,
            "The growth continues at each step of the ladder (Fig 1).",
            "LR sensitivity without qk-LN, largest width − the one below it, nats", Direction.Positive, Unit.Nats,
            s => s.Widths(Off) is { Count: > 1 } w ? s.Sensitivity(Off, w[^1]) - s.Sensitivity(Off, w[^2]) : null),
        new("03.high-lr-share-grows-without-qkln", Experiment,
            "The growth comes from the high-LR end, where training breaks (Fig 1).",
            "LR ≥ 0.1 share of LR sensitivity without qk-LN, largest width − smallest, nats", Direction.Positive, Unit.Nats,
            s => Growth(s, Off, High)),
        QkLayerNormClaims.PenaltyGrowsWithoutQkLn("03", Experiment),
        QkLayerNormClaims.QkLnLowersSensitivity("03", Experiment),
        new("03.qkln-gain-grows", Experiment,
            "qk-layernorm's benefit grows with size (Fig 1: the curves part as models grow).",
            "(LR sensitivity without − with qk-LN), largest width − smallest, nats", Direction.Positive, Unit.Nats,
            s => s.Widths(On) is { Count: > 1 } w ? Gain(s, w[^1]) - Gain(s, w[0]) : null),
        new("03.sensitivity-grows-with-qkln", Experiment,
            "With qk-layernorm LR sensitivity still grows with size, more slowly (Fig 1).",
            "LR sensitivity with qk-LN, largest width − smallest, nats", Direction.Positive, Unit.Nats,
            s => Growth(s, On, Sens)),
    ];
}
