using Proxies.Experiments;
using Proxies.Training;

namespace Proxies.Claims;

/// <summary>
/// One seed's runs of an experiment, with the quantities claims compare. A claim's statistic is a function of one
/// seed's runs only, so two arms are always compared on the same seed. An arm (variant × size) counts only when it
/// has every LR its variant was run at on any seed: a half-finished sweep gives null, not a biased number.
/// </summary>
public sealed class SeedRuns
{
    readonly IReadOnlyList<RunResult> runs, all;
    readonly IReadOnlyDictionary<string, int> gridSize;

    public int Seed { get; }
    /// <summary>This seed's runs.</summary>
    public IReadOnlyList<RunResult> Runs => runs;

    /// <summary>The variants run on any seed. A claim that takes the list of arms from the data takes it from every
    /// seed, so that a seed missing an arm gives null instead of a comparison of other arms.</summary>
    public IReadOnlyList<RunResult> AllSeeds => all;
    /// <summary>The profile the runs were trained at: it fixes the ladder's sizes and families.</summary>
    public Profile Profile { get; }

    readonly Func<RunResult, Probes.Curve>? curves;

    /// <param name="all">Every seed's runs: they fix how many LRs a complete arm of each variant has.</param>
    /// <param name="curves">Reads a run's training curve (null: claims that need one are not testable).</param>
    public SeedRuns(int seed, IReadOnlyList<RunResult> all, Profile profile, Func<RunResult, Probes.Curve>? curves = null)
    {
        (Seed, Profile, this.all, this.curves) = (seed, profile, all, curves);
        runs = all.Where(r => r.Config.Seed == seed).ToList();
        gridSize = all.GroupBy(r => r.Config.Variant).ToDictionary(g => g.Key, g => g.Select(r => r.Config.Lr).Distinct().Count());
    }

    /// <summary>The complete arm of <paramref name="variant"/> at a width (and depth, where widths repeat), by LR; null
    /// when this seed lacks any of its LRs.</summary>
    public IReadOnlyList<RunResult>? Arm(string variant, int width, int? depth = null)
    {
        var arm = runs.Where(r => r.Config.Variant == variant && r.Config.Model.Width == width && (depth is null || r.Config.Model.Depth == depth))
            .OrderBy(r => r.Config.Lr).ToList();
        return arm.Count > 0 && arm.Count == gridSize.GetValueOrDefault(variant) ? arm : null;
    }

    static LrPoint Point(RunResult r) => new(r.Config.Lr, r.FinalEvalLoss, r.InitialLoss, r.Diverged);

    /// <summary>The arm's LR sensitivity (the two-window minimum under coupled decay, as the paper reports it).</summary>
    public double? Sensitivity(string variant, int width, int? depth = null) => Arm(variant, width, depth) is { } arm
        ? arm[0].Config.WdMode == Optimization.WeightDecayMode.Coupled
            ? LrSensitivity.TwoWindowMinimum(arm.Select(Point).ToList()) : LrSensitivity.Compute(arm.Select(Point).ToList())
        : null;

    /// <summary>The part of the arm's LR sensitivity that LRs ≥ 0.1 contribute: the instability side of the grid, where
    /// under-training at the low LRs does not reach.</summary>
    public double? HighLrShare(string variant, int width, int? depth = null) => Arm(variant, width, depth) is { } arm
        ? LrSensitivity.Shares(arm.Select(Point).ToList()).Where(s => s.Lr >= 0.1 * (1 - 1e-9)).Sum(s => s.Share)
        : null;

    /// <summary>The arm's best final loss (clipped as LR sensitivity clips it).</summary>
    public double? BestLoss(string variant, int width, int? depth = null) =>
        Arm(variant, width, depth)?.Min(r => LrSensitivity.Clipped(Point(r)));

    /// <summary>The clipped final loss at one LR.</summary>
    public double? Loss(string variant, int width, double lr, int? depth = null) =>
        Arm(variant, width, depth)?.Where(r => SameLr(r.Config.Lr, lr)).Select(r => LrSensitivity.Clipped(Point(r))).Cast<double?>().SingleOrDefault();

    /// <summary>The loss at one LR above the arm's best.</summary>
    public double? Penalty(string variant, int width, double lr, int? depth = null) =>
        Loss(variant, width, lr, depth) - BestLoss(variant, width, depth);

    /// <summary>log₁₀ of the largest attention logit over training (all blocks) at one LR.</summary>
    public double? LogMaxLogit(string variant, int width, double lr, int? depth = null) =>
        Arm(variant, width, depth)?.Where(r => SameLr(r.Config.Lr, lr)).Select(r => Math.Log10(r.MaxAttnLogit)).Cast<double?>().SingleOrDefault();

    /// <summary>log₁₀ of the arm's optimal LR (<see cref="OptimalLr.Log10"/>): between grid points, so that a tie of a
    /// few thousandths of a nat between two LRs does not read as the optimum moving a whole grid step.</summary>
    public double? OptimalLogLr(string variant, int width, int? depth = null) => Arm(variant, width, depth) is { } arm
        ? OptimalLr.Log10(arm.Select(r => (r.Config.Lr, LrSensitivity.Clipped(Point(r)))).ToList())
        : null;

    /// <summary>The loss-spike episodes of this seed's one run of <paramref name="variant"/> (a single-config arm such as
    /// the spiking setting's), as <see cref="AdamInstability.Summarise(RunResult, Probes.Curve)"/> counts them; null
    /// when the seed lacks the run or no curve reader was given.</summary>
    public int? SpikeEpisodes(string variant) =>
        RunWithCurve(variant) is { } rc ? AdamInstability.Summarise(rc.Run, rc.Curve).Episodes.Count : null;

    /// <summary>This seed's one run of <paramref name="variant"/> and its training curve; null when it has none, or when no
    /// curves were given.</summary>
    public (RunResult Run, Probes.Curve Curve)? RunWithCurve(string variant) =>
        curves is not null && runs.SingleOrDefault(r => r.Config.Variant == variant) is { } run ? (run, curves(run)) : null;

    /// <summary>The arm's non-embedding parameters.</summary>
    public long? Params(string variant, int width, int? depth = null) => Arm(variant, width, depth)?[0].Params;

    /// <summary>The widths at which <paramref name="variant"/> has runs on any seed, smallest first: this seed's arm at a
    /// width it lacks is then null, and so is every "at every width" or "largest − smallest" statistic of this seed.</summary>
    public IReadOnlyList<int> Widths(string variant) =>
        all.Where(r => r.Config.Variant == variant).Select(r => r.Config.Model.Width).Distinct().Order().ToList();

    /// <summary>The smallest value of <paramref name="f"/> over <paramref name="keys"/>, null if any is null or there are
    /// none: "at every size" as one number.</summary>
    public static double? AtEvery<T>(IEnumerable<T> keys, Func<T, double?> f)
    {
        var values = keys.Select(f).ToList();
        return values.Count == 0 || values.Any(v => v is null) ? null : values.Min();
    }

    static bool SameLr(double a, double b) => Math.Abs(a / b - 1) < 1e-9;
}
