using Proxies.Optimization;
using Proxies.Runtime;
using static TorchSharp.torch;

namespace Proxies.Training.Hooks;

/// <summary>
/// Update clipping, as Marin's 32B run used it: the norm of the update the optimizer applied, ‖θ_after − θ_before‖ over
/// every parameter, is capped at its mean + k standard deviations over the last <see cref="Window"/> steps; an update
/// above the bound is scaled back onto it, direction kept. The window holds the applied (capped) norms, so one spike
/// does not widen the bound for the next. Nothing is capped until <see cref="Warmup"/> norms are in the window.
/// Probed as update_norm (applied), update_norm_raw and update_norm_bound (NaN while warming up).
/// </summary>
public sealed class UpdateClipping(double sigmas) : ITrainingHook
{
    public static UpdateClipping? For(TrainConfig config) => config.UpdateClip > 0 ? new UpdateClipping(config.UpdateClip) : null;

    public const int Window = 128, Warmup = 16;
    public const string NormName = "update_norm", RawNormName = "update_norm_raw", BoundName = "update_norm_bound";

    readonly Queue<double> applied = new();
    Tensor[]? before;
    (double Applied, double Raw, double Bound) last;

    /// <summary>The bound the next update is held to: mean + k·σ (population σ) of the window; +∞ while warming up.</summary>
    public double Bound
    {
        get
        {
            if (applied.Count < Warmup) return double.PositiveInfinity;
            double mean = applied.Average(), variance = applied.Average(x => (x - mean) * (x - mean));
            return mean + sigmas * Math.Sqrt(variance);
        }
    }

    public void AfterBackward(StepContext step) => Keep(step.State.Parameters);

    /// <summary>Keeps the weights as they are before the update (the step's dispose scope frees the copies).</summary>
    public void Keep(IReadOnlyList<Tensor> parameters)
    {
        using var _ = no_grad();
        before = parameters.Select(p => p.detach().clone()).ToArray();
    }

    public void AfterUpdate(StepContext step) => Cap(step.State.Parameters);

    /// <summary>Caps the update from the kept weights to <paramref name="parameters"/> at <see cref="Bound"/> (one host
    /// read per step: the norm decides whether to scale).</summary>
    public void Cap(IReadOnlyList<Tensor> parameters)
    {
        using var _ = no_grad();
        double raw = Norm(parameters), bound = Bound, norm = raw;
        if (raw > bound)
        {
            double scale = bound / raw;
            foreach (var (p, b) in parameters.Zip(before!)) p.copy_(b.Plus((p - b) * LiveScalar.Of(scale)));
            norm = Norm(parameters);   // measured, not assumed: what the window and the probe hold is what was applied
        }
        applied.Enqueue(norm);
        if (applied.Count > Window) applied.Dequeue();
        last = (norm, raw, double.IsFinite(bound) ? bound : double.NaN);
    }

    /// <summary>‖parameters − kept weights‖ over every parameter.</summary>
    double Norm(IReadOnlyList<Tensor> parameters) =>
        GradientClipping.GlobalNorm(parameters.Zip(before!, (p, b) => p - b)).item<float>();

    public void Probe(StepContext step, Scalars scalars) => scalars
        .Add(NormName, tensor(last.Applied).to(step.State.Device))
        .Add(RawNormName, tensor(last.Raw).to(step.State.Device))
        .Add(BoundName, tensor(last.Bound).to(step.State.Device));
}
