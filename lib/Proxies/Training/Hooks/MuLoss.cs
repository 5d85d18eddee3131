using Proxies.Losses;
using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Training.Hooks;

/// <summary>μ-loss: + coef · ‖μ‖² on the training loss, μ the mean row of the head (<see cref="OutputLogitFixes.MuLoss"/>).</summary>
public sealed class MuLoss(double coef) : ITrainingHook
{
    public static MuLoss? For(TrainConfig config) => config.MuLoss > 0 ? new MuLoss(config.MuLoss) : null;

    public Tensor Loss(StepContext step, Tensor total) => total.Plus(OutputLogitFixes.MuLoss(step.State.Model.HeadWeight, coef));
}
