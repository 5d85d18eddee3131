using Proxies.Runtime;
using static TorchSharp.torch;

namespace Proxies.Training.Hooks;

/// <summary>
/// The share of each group's gradient coordinates whose sign is the same as at the previous step (the --sign-agreement
/// switch), counted over the coordinates where both steps' gradients are non-zero. Time-independent noise gives ½; a
/// gradient that keeps its direction gives 1, one that flips every step 0. Molybog et al. 2023 explain Adam's loss
/// spikes by gradients that turn time-correlated, which drives |m̂/√v̂| to 1 (sign descent): this is that correlation,
/// measured directly. The raw gradient is read, before clipping (a positive scale leaves signs as they are).
/// Each step stores the gradients' signs (one byte per parameter). A run resumed from a checkpoint has no value at its
/// first step after the resume, and after a skip-and-restart rewind the next step is compared with the last step taken.
/// </summary>
public sealed class SignAgreement : ITrainingHook, IDisposable
{
    public static SignAgreement? For(TrainConfig config) => config.SignAgreement ? new SignAgreement() : null;

    public static string Name(string group) => $"grad_sign_agreement/{group}";

    Tensor?[] previous = [];
    Tensor?[] agreement = [];

    public void Start(TrainState state)
    {
        Dispose();
        previous = new Tensor?[state.Groups.Count];
    }

    public void AfterBackward(StepContext step)
    {
        using var _ = no_grad();
        var groups = step.State.Groups;
        agreement = new Tensor?[groups.Count];
        for (int i = 0; i < groups.Count; i++)
        {
            if (groups[i].Parameter.grad is not { } g)
            {
                previous[i]?.Dispose();   // a step without a gradient breaks the sequence
                previous[i] = null;
                continue;
            }
            var sign = g.sign().to_type(ScalarType.Int8).DetachFromDisposeScope();
            if (previous[i] is { } before)
            {
                if (step.Probing) agreement[i] = OfSigns(before, sign);   // lives in the step's scope, read by Probe
                before.Dispose();
            }
            previous[i] = sign;
        }
    }

    public void Probe(StepContext step, Scalars scalars)
    {
        for (int i = 0; i < agreement.Length; i++)
            if (agreement[i] is { } a) scalars.Add(Name(step.State.Groups[i].Name), a);
    }

    /// <summary>Among coordinates non-zero in both <paramref name="before"/> and <paramref name="now"/> (gradient values),
    /// the share with the same sign; NaN when there is none.</summary>
    public static Tensor Fraction(Tensor before, Tensor now) => OfSigns(before.sign(), now.sign());

    /// <summary><see cref="Fraction"/> of two steps' signs (−1, 0, 1), as the hook stores them.</summary>
    static Tensor OfSigns(Tensor before, Tensor now)
    {
        var both = (before != LiveScalar.Of(0)) & (now != LiveScalar.Of(0));
        return ((before == now) & both).sum().to_type(ScalarType.Float64) / both.sum().to_type(ScalarType.Float64);
    }

    public void Dispose()
    {
        foreach (var t in previous) t?.Dispose();
        previous = [];
    }
}
