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
    /// <summary>Why this design cannot detect the paper's effect, and what would (null: it can). The statistic is still
    /// computed and shown.</summary>
    public string? NotTestable { get; init; }

    /// <summary>The notebook that shows the claim: the number before the first dot of <see cref="Id"/>.</summary>
    public string Notebook => Id[..Id.IndexOf('.')];

    /// <summary>Judges the claim on <paramref name="runs"/> (one experiment's). With two or more seeds that have every arm,
    /// the interval is the 95% t interval of the mean of the per-seed values (the seeds' spread is the noise); with one,
    /// the value ± twice the rerun noise of its unit (a difference of two quantities, each as far off as a retrained
    /// run can land); with none, not testable here.</summary>
    public ClaimResult Judge(IReadOnlyList<RunResult> runs, RerunNoise? rerun, Profile profile)
    {
        var perSeed = runs.Select(r => r.Config.Seed).Distinct().Order()
            .Select(seed => (Seed: seed, Value: PerSeed(new SeedRuns(seed, runs, profile))))
            .Where(x => x.Value is { } v && double.IsFinite(v)).Select(x => (x.Seed, Value: x.Value!.Value)).ToList();
        if (perSeed.Count == 0)
            return new ClaimResult(this, perSeed, double.NaN, double.NaN, double.NaN, "no seed has every arm", Verdict.NotTestableHere);
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
            (low, high) = (value - 2 * rho, value + 2 * rho);
            noise = double.IsNaN(rho) ? "one seed, no rerun noise measured" : $"one seed; ± 2 × rerun noise {rho:G2}";
        }
        var verdict = NotTestable is not null || double.IsNaN(low) ? Verdict.NotTestableHere
            : Direction == Direction.Positive ? (low > 0 ? Verdict.Reproduces : high < 0 ? Verdict.Opposite : Verdict.InsideTheNoise)
            : (high < 0 ? Verdict.Reproduces : low > 0 ? Verdict.Opposite : Verdict.InsideTheNoise);
        return new ClaimResult(this, perSeed, value, low, high, NotTestable ?? noise, verdict);
    }
}
