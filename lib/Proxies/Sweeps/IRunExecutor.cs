using Proxies.Training;

namespace Proxies.Sweeps;

/// <summary>Runs a list of configs and records each in the results store; reports each finished run.</summary>
public interface IRunExecutor
{
    /// <returns>run ids that failed, with the reason.</returns>
    IReadOnlyList<string> Execute(IReadOnlyList<TrainConfig> runs, string resultsRoot, Action<string, string> finished, CancellationToken cancel);
}
