namespace Proxies.Probes;

/// <summary>
/// One loss spike as an event: the step it began at, the steps from there to its last flagged step (inclusive: on a curve
/// probed every step, how many consecutive steps the detector flagged), and its height, the largest loss over the moving
/// average in it. <see cref="SpikeDetector"/> keeps spiking steps out of its average,
/// so one excursion is flagged at every step it lasts; counting flagged steps would count one spike many times.
/// </summary>
public readonly record struct SpikeEpisode(int Onset, int Steps, double Height)
{
    /// <summary>The episodes of a loss series: runs of consecutive flagged points (no unflagged point between them) are
    /// one episode. <paramref name="losses"/> in step order, each with whether it was flagged and its ratio to the
    /// moving average before it.</summary>
    public static IReadOnlyList<SpikeEpisode> Of(IEnumerable<(int Step, bool Flagged, double OverAverage)> losses)
    {
        var episodes = new List<SpikeEpisode>();
        SpikeEpisode? open = null;
        foreach (var (step, flagged, over) in losses)
        {
            if (!flagged)
            {
                if (open is { } done) episodes.Add(done);
                open = null;
                continue;
            }
            double height = double.IsFinite(over) ? over : double.PositiveInfinity;
            open = open is { } e ? e with { Steps = step - e.Onset + 1, Height = Math.Max(e.Height, height) } : new SpikeEpisode(step, 1, height);
        }
        if (open is { } last) episodes.Add(last);
        return episodes;
    }
}
