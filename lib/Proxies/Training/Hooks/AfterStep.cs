using Proxies.Model;

namespace Proxies.Training.Hooks;

/// <summary>A caller's action after each update, given the step index and the model: to save or probe a checkpoint, or to
/// experiment on the trained model at the last step. It must leave the model as it found it if training is to go on.</summary>
public sealed class AfterStep(Action<int, Transformer> action) : ITrainingHook
{
    public void AfterUpdate(StepContext step) => action(step.Step, step.State.Model);
}
