using Proxies.Probes;

namespace Proxies.Experiments;

/// <summary>
/// A precursor read at one spike episode's onset against a phase-matched baseline: <see cref="Before"/> is the mean of a
/// probed series over the <c>window</c> steps before the onset, and <see cref="Baseline"/> the (upper) median of the
/// same series over the quiet steps within <c>phase</c> steps of the onset, either side (no step of any episode, and
/// none in the window before any onset). Why not a whole-run median: training's early and late phases differ more than
/// a precursor does (a gradient norm falls several-fold as the loss does); and why not every step before a flagged
/// step: a window that includes an earlier episode reads that spike, not the cause of the next.
/// </summary>
public readonly record struct SpikeOnset(int Onset, int Steps, double Height, double Before, double Baseline)
{
    /// <summary>Before ÷ baseline: above 1 when the series rose before the spike.</summary>
    public double Ratio => Before / Baseline;

    /// <summary>One row per episode of <paramref name="episodes"/>, read from <paramref name="series"/> (step, value).</summary>
    public static IReadOnlyList<SpikeOnset> Read(IReadOnlyList<SpikeEpisode> episodes, IReadOnlyList<(double Step, double Value)> series,
        int window = 5, int phase = 45)
    {
        bool InEpisode(double s) => episodes.Any(e => s >= e.Onset && s < e.Onset + e.Steps);
        bool BeforeAnOnset(double s) => episodes.Any(e => s >= e.Onset - window && s < e.Onset);
        return episodes.Select(e => new SpikeOnset(e.Onset, e.Steps, e.Height,
            Analysis.MeanOrNaN(series.Where(p => p.Step >= e.Onset - window && p.Step < e.Onset && !InEpisode(p.Step)).Select(p => p.Value)),
            Analysis.UpperMedian(series.Where(p => Math.Abs(p.Step - e.Onset) <= phase && !InEpisode(p.Step) && !BeforeAnOnset(p.Step)).Select(p => p.Value))))
            .ToList();
    }
}
