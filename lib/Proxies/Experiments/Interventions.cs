using Proxies.Model;
using Proxies.Optimization;
using Proxies.Training;

namespace Proxies.Experiments;

/// <summary>
/// The grids of the paper's §3.2 interventions (Figs 5–8, E.2–E.5, E.10), each a set of config diffs over the
/// profile's ladder (<see cref="Ladder"/>). Each is registered by name in <see cref="Catalog"/>.
/// </summary>
public static class Interventions
{
    /// <summary>Fig 5: warm-up lengths as fractions of the (fixed) total steps; the paper's own 5·10³ of 10⁵ is 5%.</summary>
    public static IReadOnlyList<TrainConfig> Warmup(Profile profile)
    {
        double[] fractions = profile == Profile.Paper ? [0.05, 0.1, 0.25] : [0.01, 0.1, 0.3];
        return Ladder.For(profile).SeededGrid().SelectMany(c => fractions.Select(f =>
            c with { Variant = $"warm-up {f:P0}".Replace(" %", "%"), WarmupSteps = (int)Math.Round(f * c.Steps) })).ToList();
    }

    /// <summary>The coupled-decay LR grid: the paper's 7 points and 1e-4, so that both windows of the two-window rule
    /// ([1e-4, 1e-1] and [3e-4, 3e-1]) have 7 points (<see cref="LrSensitivity.TwoWindowMinimum"/>). Independent decay
    /// keeps the paper's 7-point grid, so that its LR sensitivity is the paper's metric.</summary>
    public static readonly double[] CoupledLrs = [1e-4, .. Ladder.PaperLrs];

    /// <summary>The paper's recipe, whose decay the scaled λ matches: 10⁵ steps, 5·10³ of warm-up, cosine to 10⁻⁵.</summary>
    static readonly Schedule PaperSchedule = new(PeakLr: 1e-2, WarmupSteps: 5_000, TotalSteps: 100_000, MinLr: 1e-5);

    /// <summary>Independent λ whose total decay λ·Σₜ sₜ over <paramref name="c"/>'s schedule equals the paper's λ = 10⁻⁴ over its
    /// 10⁵ steps (about 5: the weights shrink to e⁻⁵ without gradients). At 300 steps this is λ ≈ 0.03.</summary>
    public static double ScaledLambda(TrainConfig c) =>
        1e-4 * PaperSchedule.TotalDecay(1, WeightDecayMode.Independent, PaperSchedule.TotalSteps)
        / (c with { Lr = PaperSchedule.PeakLr }).Schedule.TotalDecay(1, WeightDecayMode.Independent, c.Steps);

    /// <summary>Fig 6 and E.10: independent decay (the paper's literal λ = 10⁻⁴, and λ scaled to the paper's total decay,
    /// where that differs) on the paper's 7-point grid, against coupled decay (λ = 0.1, PyTorch's AdamW) on the 8-point
    /// grid of the two-window rule; and a small sweep of independent λ at the ladder's middle size, on the ladder's seeds.</summary>
    public static IReadOnlyList<TrainConfig> WeightDecay(Profile profile)
    {
        var ladder = Ladder.For(profile);
        var coupledLrs = profile == Profile.Smoke ? ladder.LearningRates : CoupledLrs;
        var independent = ladder.Grid().SelectMany(c => new[] { c with { Variant = "independent, λ 1e-4 (paper)" } }
            .Concat(IsScaled(c) ? [c with { Variant = "independent, λ scaled", WeightDecay = ScaledLambda(c) }] : []));
        var coupled = ladder.Sizes.SelectMany(size => coupledLrs.Select(lr =>
            ladder.Base(size, lr) with { Variant = "coupled, λ 0.1", WeightDecay = 0.1, WdMode = WeightDecayMode.Coupled }));
        // E.10's two extra λs at the middle size, on the ladder's seeds: its claim (the optimum's shift) compares them.
        var middle = ladder.Sizes[ladder.Sizes.Count / 2];
        var e10 = ladder.SeededGrid().Where(c => c.Model.Width == middle.Width).SelectMany(c => new[] { 0.1, 10.0 }.Select(k =>
            c with { Variant = $"independent, λ scaled × {k:G}", WeightDecay = k * ScaledLambda(c) }));
        return independent.Concat(coupled).Concat(e10).ToList();
    }

    /// <summary>The total decay λ·Σₜ sₜ (coupled: η·λ·Σₜ sₜ) of the paper's 10⁵-step schedule at peak LR <paramref name="lr"/>:
    /// what this CPU's runs are measured against (notebook 05).</summary>
    public static double PaperTotalDecay(double lr, double lambda, WeightDecayMode mode) =>
        (PaperSchedule with { PeakLr = lr }).TotalDecay(lambda, mode, PaperSchedule.TotalSteps);

    /// <summary>At the paper profile the scaled λ is the paper's own, so there is no separate scaled variant.</summary>
    static bool IsScaled(TrainConfig c) => Math.Abs(ScaledLambda(c) / 1e-4 - 1) > 1e-6;

    /// <summary>Fig 8, E.4, E.5: the standard parametrisation against μParam simple, intermediate and full, with and
    /// without qk-layernorm. μParam's base width is the ladder's smallest width. The four arms notebook 06's claims
    /// compare (standard and μP simple, each with and without qk-layernorm) run on the ladder's seeds; μP full and
    /// intermediate, which no claim reads, on seed 0. The standard arms are other sweeps' runs too (same run ids: a
    /// sweep copies them).</summary>
    public static IReadOnlyList<TrainConfig> MuParam(Profile profile)
    {
        var ladder = Ladder.For(profile);
        int baseWidth = ladder.Sizes.Min(s => s.Width);
        (string Name, Model.MuParam Mu, bool QkLn, bool Seeded)[] variants = profile == Profile.Paper
            ? [("standard", Model.MuParam.Off, true, true), ("standard, qk-ln off", Model.MuParam.Off, false, true), ("μP simple", Model.MuParam.Simple, true, true),
               ("μP simple, qk-ln off", Model.MuParam.Simple, false, true), ("μP intermediate", Model.MuParam.Intermediate, true, false),
               ("μP full", Model.MuParam.Full, true, false), ("μP full, qk-ln off", Model.MuParam.Full, false, false)]
            : [("standard", Model.MuParam.Off, true, true), ("standard, qk-ln off", Model.MuParam.Off, false, true), ("μP simple", Model.MuParam.Simple, true, true),
               ("μP simple, qk-ln off", Model.MuParam.Simple, false, true), ("μP full", Model.MuParam.Full, true, false)];
        return variants.SelectMany(v => (v.Seeded ? ladder.SeededGrid() : ladder.Grid()).Select(c => c with
        {
            Variant = v.Name,
            Model = v.Mu == Model.MuParam.Off
                ? c.Model with { QkLayerNorm = v.QkLn }
                : c.Model with { QkLayerNorm = v.QkLn, MuParam = v.Mu, MuParamBaseWidth = baseWidth },
        })).ToList();
    }

    /// <summary>Fig 7, E.2, E.3: scaling depth at a fixed width, width at a fixed depth, and both together (the ladder),
    /// head dim fixed, with the default recipe; and E.2's arm without qk-layernorm on the depth and width families (the
    /// joint ladder without it is notebook 01's). A size that two families share is one run; the notebook picks each
    /// family's sizes.</summary>
    public static IReadOnlyList<TrainConfig> DepthWidth(Profile profile)
    {
        var ladder = Ladder.For(profile);
        var families = DepthWidthFamilies(profile);
        var sizes = families.SelectMany(f => f.Sizes).Distinct().ToList();
        var withoutQkLn = families.Where(f => f.Family != "joint").SelectMany(f => f.Sizes).Distinct().ToList();
        IEnumerable<TrainConfig> Arm(IEnumerable<(int Width, int Depth, int Heads)> armSizes, Variant variant) =>
            armSizes.SelectMany(size => ladder.LearningRates.SelectMany(lr => ladder.Seeds.Select(seed =>
                variant.Of(ladder.Base(size, lr) with { Seed = seed }))));
        return Arm(sizes, Variant.Default).Concat(Arm(withoutQkLn, Variant.QkLnOff)).ToList();
    }

    /// <summary>The three scaling families of <see cref="DepthWidth"/>: depth at the ladder's middle width, width at the
    /// ladder's middle depth, and the joint ladder.</summary>
    public static IReadOnlyList<(string Family, IReadOnlyList<(int Width, int Depth, int Heads)> Sizes)> DepthWidthFamilies(Profile profile)
    {
        var ladder = Ladder.For(profile);
        var middle = ladder.Sizes[ladder.Sizes.Count / 2];
        int headDim = middle.Width / middle.Heads;
        var depths = ladder.Sizes.Select(s => s.Depth).ToList();
        var widths = ladder.Sizes.Select(s => s.Width).ToList();
        return
        [
            ("depth", depths.Select(d => (middle.Width, d, middle.Heads)).ToList()),
            ("width", widths.Select(w => (w, middle.Depth, w / headDim)).ToList()),
            ("joint", ladder.Sizes),
        ];
    }
}
