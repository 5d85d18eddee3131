namespace Proxies.Claims;

/// <summary>The unit of a claim's statistic, which names the rerun noise it is judged against when only one seed exists.</summary>
public enum Unit
{
    /// <summary>A difference of held-out losses (or of LR sensitivities, which are means of them).</summary>
    Nats,
    /// <summary>A difference of log₁₀ magnitudes (a max attention logit, a norm).</summary>
    Decades,
    /// <summary>A difference of log₁₀ optimal learning rates (<see cref="SeedRuns.OptimalLogLr"/>).</summary>
    LrDecades,
    /// <summary>A difference of counts of loss-spike episodes (<see cref="Probes.SpikeEpisode"/>); no rerun noise is measured for it.</summary>
    Episodes,
    /// <summary>A difference of shares (of coordinates, of agreeing signs); no rerun noise is measured for it.</summary>
    Share,
}
