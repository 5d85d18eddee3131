using Proxies.Probes;
using Proxies.Runtime;
using static TorchSharp.torch;

namespace Proxies.Training;

/// <summary>
/// An intervention in the training step, one file each (Training/Hooks): a loss term, something done to the weights
/// after the update, a probe, a rewind, a checkpoint. <see cref="TrainStep"/> calls every hook at each point of the
/// step in the order the hooks were given; a hook implements only the points it acts at.
/// </summary>
public interface ITrainingHook
{
    /// <summary>Whether the hook reads the forward pass's statistics (<see cref="StepContext.Forward"/>) at every step, not
    /// only on probe steps (QK-Clip reads each head's max logit).</summary>
    bool ReadsForward => false;

    /// <summary>Before the first step of this sitting (a checkpoint restores the state here).</summary>
    void Start(TrainState state) { }

    /// <summary>The training loss with this hook's term added (z-loss, μ-loss); <paramref name="total"/> as it is otherwise.</summary>
    Tensor Loss(StepContext step, Tensor total) => total;

    /// <summary>After the backward pass, before gradient clipping: the raw gradients.</summary>
    void AfterBackward(StepContext step) { }

    /// <summary>After the optimizer's update (μ-centering, anything that edits the weights).</summary>
    void AfterUpdate(StepContext step) { }

    /// <summary>On probe steps, this hook's named values of the step, still on the device.</summary>
    void Probe(StepContext step, Scalars scalars) { }

    /// <summary>After the step's values are read: true when the hook undid the step (skip-and-restart rewinds the
    /// state); the step is then neither recorded nor checked for divergence.</summary>
    bool Undo(StepContext step, IReadOnlyDictionary<string, double> read) => false;

    /// <summary>After the step is recorded (checkpointing).</summary>
    void AfterRecorded(StepContext step) { }
}

/// <summary>One step as its hooks see it: the state, which step this is, and what the step has computed so far.</summary>
public sealed class StepContext(TrainState state, int step, bool probing, bool forward = false)
{
    public TrainState State { get; } = state;
    /// <summary>The index of this step (the state's <see cref="TrainState.Step"/> is the next one once it is taken).</summary>
    public int Step { get; } = step;
    /// <summary>Whether this step runs the probes (every <see cref="TrainConfig.ProbeEvery"/> steps, and the last).</summary>
    public bool Probing { get; } = probing;
    /// <summary>The forward pass's attention and activation statistics on probe steps; on other steps, when a hook reads
    /// them, each head's max logit only.</summary>
    public Model.ForwardProbe? Forward { get; } = probing ? new Model.ForwardProbe() : forward ? new Model.ForwardProbe(headMaximaOnly: true) : null;
    /// <summary>The batch's loss terms (set after the forward pass).</summary>
    public Losses.LossTerms Loss { get; internal set; }
    /// <summary>Each group's unscaled update (Adam's Δ, SGD's gradient), on probe steps (set by the update).</summary>
    public Tensor[]? Updates { get; } = probing ? new Tensor[state.Groups.Count] : null;
}
