using Proxies.Runtime;
using Proxies.Sweeps;
using Proxies.Training;

namespace Proxies.Sweeps;

/// <summary>Runs one after another in this process (notebooks, one worker, tests).</summary>
/// <param name="checkpointEvery">Steps between a run's checkpoints (<see cref="RunCheckpoint"/>; 0: none).</param>
public sealed class InProcessExecutor(string device = "auto", int? threads = null, int checkpointEvery = RunCheckpoint.DefaultEvery) : IRunExecutor
{
    public IReadOnlyList<string> Execute(IReadOnlyList<TrainConfig> runs, string resultsRoot, Action<string, string> finished, CancellationToken cancel)
    {
        TorchRuntime.Start(threads);
        var torchDevice = TorchRuntime.ResolveDevice(device);
        foreach (var config in runs)
        {
            cancel.ThrowIfCancellationRequested();
            var result = RecordedRun.Train(config, resultsRoot, torchDevice, checkpointEvery, cancel);
            finished(result.RunId, RunLine(result));
        }
        return Array.Empty<string>();
    }

    public static string RunLine(RunResult r) =>
        $"{r.Config.Variant} d{r.Config.Model.Width} lr {r.Config.Lr:G2}: loss {r.FinalEvalLoss:F3}{(r.Diverged ? " (diverged)" : "")}";
}
