namespace Proxies.Claims;

/// <summary>Notebook 05 (Fig 6, E.10): independent against coupled weight decay.</summary>
public static class WeightDecayClaims
{
    const string Experiment = "weight-decay", Paper = "independent, λ 1e-4 (paper)", Coupled = "coupled, λ 0.1";

    public static IReadOnlyList<Claim> All { get; } =
    [
        new("05.independent-lowers-sensitivity", Experiment,
            "Independent weight decay gives lower LR sensitivity than coupled (Fig 6).",
            "min over widths of (LR sensitivity coupled, two-window minimum − independent at the paper's λ), nats", Direction.Positive, Unit.Nats,
            s => SeedRuns.AtEvery(s.Widths(Paper), w => s.Sensitivity(Coupled, w) - s.Sensitivity(Paper, w)))
        {
            NotTestable = "coupled decay's total η·λ·Σₜsₜ stays far below the paper's over this grid (the notebook prints both): "
                + "runs long enough for the coupled arm to shrink the weights as the paper's did (the paper profile) would test it",
        },
        new("05.more-decay-raises-best-lr", Experiment,
            "More weight decay moves the optimal LR up (E.10).",
            "log10 optimal LR at 10× the scaled λ − at 0.1×, middle width (parabola through the best LR and its neighbours)",
            Direction.Positive, Unit.LrDecades,
            s => s.Widths("independent, λ scaled × 10") is [var w] ? s.OptimalLogLr("independent, λ scaled × 10", w) - s.OptimalLogLr("independent, λ scaled × 0.1", w) : null),
    ];
}
