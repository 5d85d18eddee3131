using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Training.Hooks;

/// <summary>The paper's z-loss: + coef · mean((log Z)²) on the training loss, which keeps log Z near 0 and the output
/// logits from drifting (docs/science/output-logit-divergence.md).</summary>
public sealed class ZLoss(double coef) : ITrainingHook
{
    public static ZLoss? For(TrainConfig config) => config.ZLoss != 0 ? new ZLoss(config.ZLoss) : null;

    public Tensor Loss(StepContext step, Tensor total) => total.Plus(step.Loss.ZLossTerm(coef));
}
