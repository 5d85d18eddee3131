using Proxies.Probes;

namespace Proxies.Tests.Probes;

public class SpikeEpisodeTests
{
    [Fact]
    public void ConsecutiveFlaggedStepsAreOneEpisodeWithItsOnsetLengthAndHeight()
    {
        // Flagged at 42, then 83–85, then the last step: three episodes, not five spikes. A NaN loss is an episode of
        // unbounded height.
        var losses = new (int, bool, double)[]
        {
            (41, false, 1.0), (42, true, 1.4), (43, false, 1.1), (83, true, 1.35), (84, true, 1.9), (85, true, 1.5), (86, false, 1.0),
            (87, true, double.NaN),
        };
        Assert.Equal(new[] { new SpikeEpisode(42, 1, 1.4), new SpikeEpisode(83, 3, 1.9), new SpikeEpisode(87, 1, double.PositiveInfinity) },
            SpikeEpisode.Of(losses));
    }

    [Fact]
    public void OnACurveProbedEveryFifthStepAnEpisodeSpansTheStepsFromItsOnsetToItsLastFlaggedProbe()
    {
        var losses = new (int, bool, double)[] { (95, false, 1.0), (100, true, 1.5), (105, true, 1.6), (110, false, 1.0) };
        Assert.Equal(new SpikeEpisode(100, 6, 1.6), Assert.Single(SpikeEpisode.Of(losses)));
    }

    [Fact]
    public void NoFlaggedStepIsNoEpisode() => Assert.Empty(SpikeEpisode.Of(new[] { (0, false, 1.0), (1, false, 1.2) }));
}
