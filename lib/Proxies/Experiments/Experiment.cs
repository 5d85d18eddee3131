using Proxies.Training;

namespace Proxies.Experiments;

/// <summary>A named experiment: a grid of training runs for each profile. The grid is data: a list of configs,
/// each tagged with the experiment's name and a variant label.</summary>
public sealed record Experiment(string Name, string Description, Func<Profile, IReadOnlyList<TrainConfig>> Grid)
{
    public IReadOnlyList<TrainConfig> Runs(Profile profile) =>
        Grid(profile).Select(c => c with { Experiment = Name }).ToList();
}
