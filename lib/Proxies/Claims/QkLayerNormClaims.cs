namespace Proxies.Claims;

/// <summary>The Fig 1 claims that notebooks 01 (one step count for every size) and 03 (each size trained to a criterion)
/// both judge, on their own runs of the variants "qk-ln on" and "qk-ln off".</summary>
public static class QkLayerNormClaims
{
    public static readonly string On = Experiments.Variant.QkLnOn.Label, Off = Experiments.Variant.QkLnOff.Label;

    public static Claim PenaltyGrowsWithoutQkLn(string notebook, string experiment) => new($"{notebook}.penalty-grows-without-qkln", experiment,
        "Without qk-layernorm the LR at which training breaks falls as the model grows (Fig 1).",
        "loss at LR 0.1 above the size's best, largest width − smallest, without qk-LN, nats", Direction.Positive, Unit.Nats,
        s => s.Widths(Off) is { Count: > 1 } w ? s.Penalty(Off, w[^1], 0.1) - s.Penalty(Off, w[0], 0.1) : null)
    {
        RerunTerms = 4,   // two penalties, each a loss minus a best loss
    };

    public static Claim QkLnLowersSensitivity(string notebook, string experiment) => new($"{notebook}.qkln-lowers-sensitivity", experiment,
        "qk-layernorm lowers LR sensitivity at every size (Fig 1).",
        "min over widths of (LR sensitivity without qk-LN − with), nats", Direction.Positive, Unit.Nats,
        s => SeedRuns.AtEvery(s.Widths(On), w => s.Sensitivity(Off, w) - s.Sensitivity(On, w)));

    public static Claim SensitivityGrowsWithoutQkLn(string notebook, string experiment) => new($"{notebook}.sensitivity-grows-without-qkln", experiment,
        "Without qk-layernorm LR sensitivity grows with model size (Fig 1).",
        "LR sensitivity without qk-LN, largest width − smallest, nats", Direction.Positive, Unit.Nats,
        s => s.Widths(Off) is { Count: > 1 } w ? s.Sensitivity(Off, w[^1]) - s.Sensitivity(Off, w[0]) : null);
}
