using Proxies.Experiments;
using Proxies.Probes;

namespace Proxies.Tests.Experiments;

/// <summary>Precursors at spike onsets against phase-matched baselines (Experiments/SpikeOnsets.cs), on a hand-made series.</summary>
public class SpikeOnsetTests
{
    [Fact]
    public void TheWindowBeforeAnOnsetIsReadAgainstTheQuietStepsAroundItNotTheWholeRun()
    {
        // A series that falls from 10 to 1 over training (phases a whole-run median would mix), 3 above its trend in the
        // 5 steps before each onset, and 100 during each episode (steps 40–42 and 150).
        var episodes = new[] { new SpikeEpisode(40, 3, 2.0), new SpikeEpisode(150, 1, 1.5) };
        var series = Enumerable.Range(0, 200).Select(s =>
        {
            double trend = s < 100 ? 10 : 1;
            bool inEpisode = s is >= 40 and < 43 or 150;
            bool before = s is >= 35 and < 40 or >= 145 and < 150;
            return ((double)s, inEpisode ? 100 : before ? trend + 3 : trend);
        }).ToList();

        var rows = SpikeOnset.Read(episodes, series, window: 5, phase: 45);

        Assert.Equal(2, rows.Count);
        Assert.Equal((40, 3, 2.0), (rows[0].Onset, rows[0].Steps, rows[0].Height));
        Assert.Equal(13, rows[0].Before, 12);
        Assert.Equal(10, rows[0].Baseline, 12);   // steps 0–85, less 35–42: all 10 (the episode's 100s are left out)
        Assert.Equal(1.3, rows[0].Ratio, 12);
        Assert.Equal(4, rows[1].Before, 12);
        // Steps 105–195 less 145–150: 1 (step 105 on); a whole-run median of this series would say 10 or 1 by chance.
        Assert.Equal(1, rows[1].Baseline, 12);
    }

    [Fact]
    public void AnEarlierEpisodeInsideTheWindowIsNotReadAsThePrecursorOfTheNext()
    {
        var episodes = new[] { new SpikeEpisode(10, 2, 3.0), new SpikeEpisode(13, 1, 2.0) };
        var series = Enumerable.Range(0, 40).Select(s => ((double)s, s is 10 or 11 or 13 ? 50.0 : 1.0)).ToList();
        var second = SpikeOnset.Read(episodes, series, window: 5, phase: 20)[1];
        Assert.Equal(1, second.Before, 12);        // steps 8, 9 and 12: the spike steps 10 and 11 are left out
    }
}
