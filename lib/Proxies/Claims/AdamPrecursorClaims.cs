using Proxies.Experiments;
using Proxies.Probes;

namespace Proxies.Claims;

/// <summary>
/// Notebook 10: Molybog et al. 2023's account of a loss spike, as claims on the adam-precursors runs. Before a spike,
/// the gradients of the early layers and the embedding turn time-correlated (successive signs agree), so |r| = |m̂/(√v̂+ε)|
/// piles up near 1 (bimodal). Each statistic is a seed's mean, over its run's spike episodes, of the precursor in the 5
/// probes before the onset minus its phase-matched baseline (<see cref="AdamPrecursors.Onsets"/>); a seed without an
/// episode gives no value. The early setting is outside their regime, so its claims are shown and not judged.
/// </summary>
public static class AdamPrecursorClaims
{
    const string Experiment = "adam-precursors";

    const string EarlyIsNotTheirRegime = "not their regime: these spikes come in the first third of a 300-step run at LR 0.3, " +
        "while the loss is still high; Molybog et al.'s come late in long training, after gradients have become small (the late setting)";

    static Claim RisesBeforeOnset(string setting, string slug, Precursor precursor, string says) =>
        new($"10.{slug}.{precursor.Key}", Experiment, says,
            $"{precursor.Name}: mean over the seed's spike onsets of (5 probes before − phase-matched baseline), {setting} setting",
            Direction.Positive, Unit.Share,
            s => s.RunWithCurve(setting) is { } rc && AdamPrecursors.Onsets(AdamInstability.Summarise(rc.Run, rc.Curve), rc.Curve) is { Count: > 0 } onsets
                ? onsets.Average(o => AdamPrecursors.Rise(precursor, o.Onsets[AdamPrecursors.Precursors.ToList().IndexOf(precursor)]))
                : null)
        {
            NotTestable = setting == AdamPrecursors.Early ? EarlyIsNotTheirRegime : null,
            WhenNone = "no seed's run had a spike episode: a precursor needs a spike to precede",
        };

    static IEnumerable<Claim> For(string setting, string slug) => AdamPrecursors.Precursors.Where(p => !p.Log).Select(p => RisesBeforeOnset(setting, slug, p,
        p.Key.StartsWith("near-one") ? "before a spike, |r| piles up near 1 (bimodal) as the gradients turn time-correlated"
            : "before a spike, successive gradients' signs agree more (time-correlated gradients)"));

    /// <summary>Spike episodes in the second half of the late setting's run minus in the first: Molybog et al.'s spikes
    /// come late. A run without an episode gives no value (no spike to place early or late).</summary>
    public static readonly Claim LateSpikes = new("10.late.spikes-come-late", Experiment,
        "in long training at a constant LR, loss spikes appear late, after gradients have become small",
        "spike episodes with their onset in the second half of the long constant-LR run − in the first half", Direction.Positive, Unit.Episodes,
        s => s.RunWithCurve(AdamPrecursors.Late) is { } rc && AdamInstability.Summarise(rc.Run, rc.Curve).Episodes is { Count: > 0 } episodes
            ? episodes.Count(e => e.Onset >= rc.Run.Config.Steps / 2) - episodes.Count(e => e.Onset < rc.Run.Config.Steps / 2) : null)
    {
        WhenNone = "no seed's long run had a spike episode: no spike to place early or late",
    };

    public static IReadOnlyList<Claim> All { get; } = [LateSpikes, .. For(AdamPrecursors.Late, "late"), .. For(AdamPrecursors.Early, "early")];
}
