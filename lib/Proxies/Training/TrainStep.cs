using Proxies.Losses;
using Proxies.Optimization;
using Proxies.Probes;
using Proxies.Runtime;
using static TorchSharp.torch;

namespace Proxies.Training;

/// <summary>
/// One training step over a <see cref="TrainState"/>: forward → loss (+ the hooks' terms) → backward → clip →
/// optimizer update → the hooks' edits to the weights, then the step's named values, read in one transfer. Between
/// probe steps only the loss and gradient norm are read, so divergence is caught at the step it happens; on probe
/// steps every probe hook adds its values too (metrics as data). The caller disposes the step's tensors.
/// </summary>
public static class TrainStep
{
    /// <summary>Takes the state's next step on <paramref name="batch"/>; returns the step and its named values.</summary>
    public static (StepContext Step, Dictionary<string, double> Values) Take(TrainState state, IReadOnlyList<ITrainingHook> hooks,
        (Tensor Inputs, Tensor Targets) batch)
    {
        var config = state.Config;
        int index = state.Step;
        var step = new StepContext(state, index, probing: index % config.ProbeEvery == 0 || index == config.Steps - 1,
            forward: hooks.Any(h => h.ReadsForward));

        var logits = state.Model.Forward(batch.Inputs, step.Forward);
        step.Loss = LanguageModelLoss.Compute(logits, batch.Targets);
        var total = step.Loss.CrossEntropy;
        foreach (var hook in hooks) total = hook.Loss(step, total);
        state.Optimizer.ZeroGrad();
        total.backward();

        foreach (var hook in hooks) hook.AfterBackward(step);
        var gradNorm = GradientClipping.ClipGlobalNorm(state.Parameters, config.ClipNorm);
        state.Optimizer.Step(config.Lr, state.Schedule.Multiplier(index), step.Updates);
        state.StepsDone++;
        state.Step = index + 1;
        foreach (var hook in hooks) hook.AfterUpdate(step);

        var scalars = new Scalars().Add(GradientClipping.GradNorm, gradNorm);
        if (step.Probing)
            foreach (var hook in hooks) hook.Probe(step, scalars);
        else
            scalars.Add(RunSummary.Loss, step.Loss.CrossEntropy);
        return (step, scalars.Read());
    }
}
