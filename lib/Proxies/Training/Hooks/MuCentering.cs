using Proxies.Losses;

namespace Proxies.Training.Hooks;

/// <summary>μ-centering: after every update, the mean head row μ is subtracted from every head row
/// (<see cref="OutputLogitFixes.CenterHead"/>): every softmax probability is unchanged and ‖μ‖ becomes 0.</summary>
public sealed class MuCentering : ITrainingHook
{
    public static MuCentering? For(TrainConfig config) => config.MuCentering ? new MuCentering() : null;

    public void AfterUpdate(StepContext step) => OutputLogitFixes.CenterHead(step.State.Model.HeadWeight);
}
