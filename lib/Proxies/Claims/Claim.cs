using Proxies.Experiments;
using Proxies.Training;

namespace Proxies.Claims;

/// <summary>
/// A paper's claim as data: a statistic computed from one seed's runs (so every comparison between arms is paired by
/// seed), the sign the paper predicts for it, and the noise it is judged against. <see cref="Judge"/> returns the
/// value, its interval and one verdict; a notebook's prose says no more than that verdict.
/// </summary>
/// <param name="Id">Stable name, "notebook.what", e.g. "03.sens-grows-without-qkln".</param>
/// <param name="Experiment">The experiment whose runs the statistic reads.</param>
/// <param name="Says">The paper's claim, in words.</param>
/// <param name="Statistic">How the statistic is computed, in words, with its sign convention.</param>
/// <param name="PerSeed">The statistic on one seed's runs; null when that seed lacks an arm it needs.</param>
public sealed record Claim(string Id, string Experiment, string Says, string Statistic, Direction Direction, Unit Unit,
    Func<SeedRuns, double?> PerSeed)
{
    /// <summary>A claim whose statistic is computed from a study's own tables, not from runs (notebook 11's
    /// perturbations): it is judged with <see cref="Judge(IReadOnlyList{ValueTuple{int, double?}}, RerunNoise?)"/> (judged on
    /// runs, it finds no seed with every arm).</summary>
    public Claim(string id, string experiment, string says, string statistic, Direction direction, Unit unit)
        : this(id, experiment, says, statistic, direction, unit, _ => null) { }

    /// <summary>Why this design cannot detect the paper's effect, and what would (null: it can). The statistic is still
    /// computed and shown.</summary>
    public string? NotTestable { get; init; }

    /// <summary>What the noise column says when no seed gives a value (a seed's statistic is null when it lacks what the
    /// statistic needs).</summary>
    public string WhenNone { get; init; } = "no seed has every arm";

    /// <summary>How many measured quantities (final losses, LR sensitivities, optima, logits) the statistic adds or
    /// subtracts: with one seed the interval is the value ± this many times the rerun noise, each quantity as far off as a
    /// retrained run can land (2 for a difference of two, 4 for a difference of differences).</summary>
    public int RerunTerms { get; init; } = 2;

    /// <summary>The notebook that shows the claim: the number before the first dot of <see cref="Id"/>.</summary>
    public string Notebook => Id[..Id.IndexOf('.')];

    /// <summary>Judges the claim on <paramref name="runs"/> (one experiment's). With two or more seeds that have every arm,
    /// the interval is the 95% t interval of the mean of the per-seed values (the seeds' spread is the noise); with one,
    /// the value ± <see cref="RerunTerms"/> times the rerun noise of its unit; with none, not testable here. A seed whose
    /// value is not finite (a NaN probe) is left out, and the noise column says so.</summary>
    /// <param name="curves">Reads a run's curve, for statistics of the training curve (spike episodes).</param>
    public ClaimResult Judge(IReadOnlyList<RunResult> runs, RerunNoise? rerun, Profile profile, Func<RunResult, Probes.Curve>? curves = null) =>
        Judge(runs.Select(r => r.Config.Seed).Distinct().Order()
            .Select(seed => (seed, PerSeed(new SeedRuns(seed, runs, profile, curves)))).ToList(), rerun);

    /// <summary>Judges the claim on each seed's value of its statistic (null: the seed lacks an arm), as
    /// <see cref="Judge(IReadOnlyList{RunResult}, RerunNoise?, Profile, Func{RunResult, Probes.Curve}?)"/> does; for a claim
    /// on a study's own tables (notebook 11), whose statistic is computed there.</summary>
    public ClaimResult Judge(IReadOnlyList<(int Seed, double? Value)> values, RerunNoise? rerun)
    {
        var computed = values.Where(x => x.Value is not null).ToList();
        var perSeed = computed.Where(x => double.IsFinite(x.Value!.Value)).Select(x => (x.Seed, Value: x.Value!.Value)).ToList();
        var notFinite = computed.Where(x => !double.IsFinite(x.Value!.Value)).Select(x => x.Seed).ToList();
        string dropped = notFinite.Count == 0 ? "" : $"; seed(s) {string.Join(", ", notFinite)} left out: not finite";
        if (perSeed.Count == 0)
            return new ClaimResult(this, perSeed, double.NaN, double.NaN, double.NaN,
                (computed.Count == 0 ? WhenNone : "no seed gave a finite value") + dropped, Verdict.NotTestableHere);
        double value, low, high;
        string noise;
        if (perSeed.Count >= 2)
        {
            (value, low, high) = StudentT.Interval(perSeed.Select(x => x.Value).ToList());
            noise = $"{perSeed.Count} seeds, paired; 95% t interval";
        }
        else
        {
            double rho = rerun?.Of(Unit) ?? double.NaN;
            value = perSeed[0].Value;
            (low, high) = (value - RerunTerms * rho, value + RerunTerms * rho);
            noise = double.IsNaN(rho) ? "one seed, no rerun noise measured" : $"one seed; ± {RerunTerms} × rerun noise {rho:G2}";
        }
        var verdict = NotTestable is not null || double.IsNaN(low) ? Verdict.NotTestableHere
            : Direction == Direction.Positive ? (low > 0 ? Verdict.Reproduces : high < 0 ? Verdict.Opposite : Verdict.InsideTheNoise)
            : (high < 0 ? Verdict.Reproduces : low > 0 ? Verdict.Opposite : Verdict.InsideTheNoise);
        return new ClaimResult(this, perSeed, value, low, high, (NotTestable ?? noise) + dropped, verdict);
    }
}
