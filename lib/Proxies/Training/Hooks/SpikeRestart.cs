using Proxies.Probes;

namespace Proxies.Training.Hooks;

/// <summary>
/// PaLM's answer to a loss spike, as Molybog et al. 2023 discuss it: when the training loss spikes
/// (<see cref="SpikeDetector"/>), rewind the weights and the optimizer to a snapshot at least
/// <see cref="TrainConfig.RestartRewind"/> steps back, and skip the next <see cref="TrainConfig.RestartSkip"/>
/// batches (the batch sampler is not rewound, so the batches around the spike are never seen again). The schedule is
/// rewound with the step. Snapshots are kept in memory, every RestartRewind steps, the last two.
/// </summary>
public sealed class SpikeRestart(TrainConfig config) : ITrainingHook, IDisposable
{
    public static SpikeRestart? For(TrainConfig config) => config.SpikeRestart > 0 ? new SpikeRestart(config) : null;

    /// <summary>A run that keeps spiking stops rewinding after this many restarts and trains on.</summary>
    public const int MaxRestarts = 10;

    /// <summary>Curve column, written on the row of a spiking step that was undone: the step the run went back to.</summary>
    public const string RewoundTo = "rewound_to";

    readonly SpikeDetector detector = new(config.SpikeRestart);
    StateSnapshot? older, newer;

    public int Restarts { get; private set; }

    /// <summary>Rewinds when the step's training loss is a spike (recording the spiking step's row with the step it went
    /// back to), else takes a snapshot every RestartRewind steps.</summary>
    public bool Undo(StepContext step, IReadOnlyDictionary<string, double> read)
    {
        var state = step.State;
        double loss = read[RunSummary.Loss];
        if (detector.Observe(loss) && older is { } back && Restarts < MaxRestarts)
        {
            state.Restore(back);
            Forget(ref newer);
            Restarts++;
            state.Curve.Add(new Dictionary<string, double>
                { ["step"] = step.Step, ["lr"] = state.Schedule.LearningRate(step.Step), [RunSummary.Loss] = loss, [RewoundTo] = back.NextStep });
            state.Sampler.Skip(config.RestartSkip);
            return true;
        }
        if (state.Step % config.RestartRewind == 0 && double.IsFinite(loss))
        {
            Forget(ref older);
            older = newer;
            newer = state.Snapshot();
        }
        return false;
    }

    static void Forget(ref StateSnapshot? snapshot)
    {
        snapshot?.Dispose();
        snapshot = null;
    }

    public void Dispose()
    {
        Forget(ref older);
        Forget(ref newer);
    }
}
