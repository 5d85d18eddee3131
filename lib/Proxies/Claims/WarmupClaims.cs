namespace Proxies.Claims;

/// <summary>Notebook 04 (Fig 5): warm-up length at fixed total steps.</summary>
public static class WarmupClaims
{
    const string Experiment = "warmup";

    /// <summary>The warm-up variants of every seed, shortest first (by warm-up steps over total steps).</summary>
    static IReadOnlyList<string> ByLength(SeedRuns s) => s.AllSeeds.GroupBy(r => r.Config.Variant)
        .OrderBy(g => (double)g.First().Config.WarmupSteps / g.First().Config.Steps).Select(g => g.Key).ToList();

    static double? Reduction(SeedRuns s, int width, Func<SeedRuns, string, int, double?> f, int shorter = 0) =>
        ByLength(s) is { Count: > 1 } v ? f(s, v[shorter], width) - f(s, v[^1], width) : null;

    static double? Sens(SeedRuns s, string v, int w) => s.Sensitivity(v, w);
    static double? High(SeedRuns s, string v, int w) => s.HighLrShare(v, w);

    static IReadOnlyList<int> Widths(SeedRuns s) => ByLength(s) is { Count: > 0 } v ? s.Widths(v[0]) : [];

    public static IReadOnlyList<Claim> All { get; } =
    [
        new("04.longest-lowers-sensitivity", Experiment,
            "A longer warm-up lowers LR sensitivity (Fig 5).",
            "min over widths of (LR sensitivity at the shortest warm-up − at the longest), nats", Direction.Positive, Unit.Nats,
            s => SeedRuns.AtEvery(Widths(s), w => Reduction(s, w, Sens))),
        new("04.longest-lowers-high-lr-share", Experiment,
            "It does so at the high-LR end, where training breaks (Fig 5).",
            "min over widths of (LR ≥ 0.1 share of LR sensitivity at the shortest warm-up − at the longest), nats", Direction.Positive, Unit.Nats,
            s => SeedRuns.AtEvery(Widths(s), w => Reduction(s, w, High))),
        new("04.most-for-large-models", Experiment,
            "The longer warm-up helps large models most (Fig 5).",
            "(LR sensitivity shortest − longest warm-up), largest width − smallest, nats", Direction.Positive, Unit.Nats,
            s => Widths(s) is { Count: > 1 } w ? Reduction(s, w[^1], Sens) - Reduction(s, w[0], Sens) : null),
        new("04.longest-beats-default", Experiment,
            "Longer is better beyond the default length too (Fig 5: sensitivity falls with each longer warm-up).",
            "min over widths of (LR sensitivity at the middle warm-up − at the longest), nats", Direction.Positive, Unit.Nats,
            s => ByLength(s) is { Count: > 2 } v ? SeedRuns.AtEvery(Widths(s), w => Reduction(s, w, Sens, v.Count / 2)) : null),
    ];
}
