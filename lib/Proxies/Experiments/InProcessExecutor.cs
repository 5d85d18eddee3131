using Proxies.Results;
using Proxies.Runtime;
using Proxies.Training;

namespace Proxies.Experiments;

/// <summary>Runs one after another in this process (notebooks, one worker, tests).</summary>
public sealed class InProcessExecutor(string device = "auto", int? threads = null) : IRunExecutor
{
    public IReadOnlyList<string> Execute(IReadOnlyList<TrainConfig> runs, string resultsRoot, Action<string, string> finished, CancellationToken cancel)
    {
        TorchRuntime.Start(threads);
        var torchDevice = TorchRuntime.ResolveDevice(device);
        foreach (var config in runs)
        {
            cancel.ThrowIfCancellationRequested();
            var (result, curve) = Trainer.Run(config, torchDevice, cancel: cancel);
            new ResultsStore(resultsRoot, config.Experiment).Record(result, curve);
            finished(result.RunId, RunLine(result));
        }
        return Array.Empty<string>();
    }

    public static string RunLine(RunResult r) =>
        $"{r.Config.Variant} d{r.Config.Model.Width} lr {r.Config.Lr:G2}: loss {r.FinalEvalLoss:F3}{(r.Diverged ? " (diverged)" : "")}";
}
