using Proxies.Results;
using Proxies.Training;
using static TorchSharp.torch;

namespace Proxies.Sweeps;

/// <summary>One run of a sweep, trained and recorded in its experiment's results store. It checkpoints every
/// <c>checkpointEvery</c> steps into the store's checkpoints/ folder and goes on from a checkpoint left there by a run
/// that was killed, preempted or cancelled; the checkpoint is deleted once the run's row is written.</summary>
public static class RecordedRun
{
    public static RunResult Train(TrainConfig config, string resultsRoot, Device device, int checkpointEvery, CancellationToken cancel = default)
    {
        var store = new ResultsStore(resultsRoot, config.Experiment);
        var checkpoint = store.Checkpoint(config.RunId, checkpointEvery);
        var (result, curve) = Trainer.Run(config, device, cancel: cancel, checkpoint: checkpoint);
        store.Record(result, curve);
        checkpoint.Delete();
        return result;
    }
}
