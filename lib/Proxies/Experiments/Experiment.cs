using Proxies.Model;
using Proxies.Training;

namespace Proxies.Experiments;

/// <summary>A named experiment: a grid of training runs for each profile. The grid is data: a list of configs,
/// each tagged with the experiment's name and a variant label.</summary>
public sealed record Experiment(string Name, string Description, Func<Profile, IReadOnlyList<TrainConfig>> Grid)
{
    public IReadOnlyList<TrainConfig> Runs(Profile profile) =>
        Grid(profile).Select(c => c with { Experiment = Name }).ToList();

    /// <summary>The same grid with every linear layer multiplying in <paramref name="matmul"/> (new run ids).</summary>
    public Experiment WithMatmul(MatmulPrecision matmul) => matmul == MatmulPrecision.Fp32 ? this
        : this with { Grid = profile => Grid(profile).Select(c => c with { Model = c.Model with { Matmul = matmul } }).ToList() };

    /// <summary>The same grid trained on another corpus and vocabulary (the paper profile on C4, say; new run ids). A run
    /// of the grid that names its own corpus (the progressive-sensitivity genres) keeps it.</summary>
    public Experiment WithData(string? data, string? vocab) => data is null && vocab is null ? this
        : this with { Grid = profile => Grid(profile).Select(c => c with { Data = c.Data ?? data, Vocab = vocab ?? c.Vocab }).ToList() };
}
