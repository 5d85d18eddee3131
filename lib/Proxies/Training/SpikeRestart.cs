using Proxies.Optimization;
using Proxies.Probes;
using static TorchSharp.torch;

namespace Proxies.Training;

/// <summary>
/// PaLM's answer to a loss spike, as Molybog et al. 2023 discuss it: when the training loss spikes
/// (<see cref="SpikeDetector"/>), rewind the weights and the optimizer to a checkpoint at least
/// <see cref="TrainConfig.RestartRewind"/> steps back, and skip the next <see cref="TrainConfig.RestartSkip"/>
/// batches (the batch sampler is not rewound, so the batches around the spike are never seen again). The schedule is
/// rewound with the step. Checkpoints are kept in memory, every RestartRewind steps, the last two.
/// </summary>
public sealed class SpikeRestart(TrainConfig config, IReadOnlyList<ParameterGroup> groups, IOptimizer optimizer) : IDisposable
{
    /// <summary>A run that keeps spiking stops rewinding after this many restarts and trains on.</summary>
    public const int MaxRestarts = 10;

    /// <summary>Curve column, written on the row of a spiking step that was undone: the step the run went back to.</summary>
    public const string RewoundTo = "rewound_to";

    readonly SpikeDetector detector = new(config.SpikeRestart);
    (int Step, WeightSnapshot Weights, OptimizerState State)? older, newer;

    public int Restarts { get; private set; }

    /// <summary>Called after step <paramref name="step"/>'s update with its training loss: returns the step to go on from
    /// when it rewound, else null (and checkpoints every RestartRewind steps).</summary>
    public int? After(int step, double loss)
    {
        if (detector.Observe(loss) && older is { } back && Restarts < MaxRestarts)
        {
            back.Weights.CopyInto(groups);
            optimizer.Restore(back.State);
            Forget(ref newer);
            Restarts++;
            return back.Step;
        }
        if ((step + 1) % config.RestartRewind == 0 && double.IsFinite(loss))
        {
            Forget(ref older);
            older = newer;
            newer = (step + 1, new WeightSnapshot(groups), optimizer.Save());
        }
        return null;
    }

    static void Forget(ref (int Step, WeightSnapshot Weights, OptimizerState State)? checkpoint)
    {
        if (checkpoint is not { } c) return;
        c.Weights.Dispose();
        c.State.Dispose();
        checkpoint = null;
    }

    public void Dispose()
    {
        Forget(ref older);
        Forget(ref newer);
    }
}
