using Proxies.Probes;
using Proxies.Runtime;
using static TorchSharp.torch;

namespace Proxies.Training.Hooks;

/// <summary>
/// The probes every run records on its probe steps, in this order: the loss terms and output-logit statistics of the
/// batch, where output-logit drift lives (‖μ‖, ‖h̄‖), each block's max attention logit and activation sizes, each
/// group's gradient RMS (before clipping), weight RMS and update RMS, and the optimizer's own statistics.
/// </summary>
public sealed class StandardProbes : ITrainingHook
{
    Tensor[]? gradRms;

    public void AfterBackward(StepContext step)
    {
        gradRms = step.Probing ? step.State.Groups.Select(g => LayerStatistics.Rms(g.Parameter.grad!)).ToArray() : null;
    }

    public void Probe(StepContext step, Scalars scalars)
    {
        var state = step.State;
        scalars.Add(step.Loss.Statistics())
            .Add(OutputStatistics.Collect(state.Model, step.Forward!.FinalHiddenMean!))
            .Add(step.Forward.Scalars())
            .Add(LayerStatistics.Collect(state.Groups, gradRms!, step.Updates!))
            .Add(state.Optimizer.Statistics(step.Updates!));
    }
}
