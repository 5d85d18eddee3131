using Proxies.Experiments;

namespace Proxies.Claims;

/// <summary>Notebook 07 (Fig 7, E.2): scaling depth against scaling width, as slopes per decade of non-embedding
/// parameters over each family of <see cref="Interventions.DepthWidthFamilies"/>.</summary>
public static class DepthWidthClaims
{
    const string Experiment = "depth-width";
    static readonly string Default = Variant.Default.Label;

    /// <summary>Least-squares slope of <paramref name="f"/> against log₁₀ parameters over one family's sizes.</summary>
    static double? Slope(SeedRuns s, string variant, string family, Func<int, int, double?> f)
    {
        var sizes = Interventions.DepthWidthFamilies(s.Profile).Single(x => x.Family == family).Sizes;
        var points = sizes.Select(z => (X: s.Params(variant, z.Width, z.Depth) is { } p ? Math.Log10(p) : (double?)null, Y: f(z.Width, z.Depth))).ToList();
        if (points.Any(p => p.X is null || p.Y is null)) return null;
        double mx = points.Average(p => p.X!.Value), my = points.Average(p => p.Y!.Value);
        return points.Sum(p => (p.X!.Value - mx) * (p.Y!.Value - my)) / points.Sum(p => (p.X!.Value - mx) * (p.X!.Value - mx));
    }

    /// <summary>Depth family's slope of <paramref name="f"/> minus the width family's, on one variant's runs.</summary>
    static double? DepthMinusWidth(SeedRuns s, string variant, Func<string, int, int?, double?> f) =>
        Slope(s, variant, "depth", (w, d) => f(variant, w, d)) - Slope(s, variant, "width", (w, d) => f(variant, w, d));

    public static IReadOnlyList<Claim> All { get; } =
    [
        new("07.depth-raises-sensitivity-faster", Experiment,
            "Scaling depth raises LR sensitivity faster than scaling width (Fig 7).",
            "slope of LR sensitivity per decade of parameters, depth family − width family, nats", Direction.Positive, Unit.Nats,
            s => DepthMinusWidth(s, Default, s.Sensitivity)),
        new("07.depth-raises-high-lr-share-faster", Experiment,
            "…on the high-LR side, where under-training does not enter (Fig 7).",
            "slope of the LR ≥ 0.1 share per decade of parameters, depth family − width family, nats", Direction.Positive, Unit.Nats,
            s => DepthMinusWidth(s, Default, s.HighLrShare)),
        new("07.depth-lowers-loss-faster", Experiment,
            "Depth buys more loss per parameter than width (Fig 7: the deeper models reach lower loss).",
            "slope of the best loss per decade of parameters, width family − depth family, nats", Direction.Positive, Unit.Nats,
            s => -DepthMinusWidth(s, Default, s.BestLoss)),
        new("07.depth-raises-sensitivity-without-qkln", Experiment,
            "Without qk-layernorm too, scaling depth raises LR sensitivity faster than scaling width (E.2).",
            "as 07.depth-raises-sensitivity-faster, on the arm without qk-LN, nats", Direction.Positive, Unit.Nats,
            s => DepthMinusWidth(s, Variant.QkLnOff.Label, s.Sensitivity)),
        new("07.depth-raises-high-lr-share-without-qkln", Experiment,
            "…and without qk-layernorm on the high-LR side, where the attention logits grow (E.2).",
            "as 07.depth-raises-high-lr-share-faster, on the arm without qk-LN, nats", Direction.Positive, Unit.Nats,
            s => DepthMinusWidth(s, Variant.QkLnOff.Label, s.HighLrShare)),
    ];
}
