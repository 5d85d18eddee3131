using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Optimization;

/// <summary>Global gradient-norm clipping (the paper clips at 1), without a host sync: the scale is a tensor.</summary>
public static class GradientClipping
{
    /// <summary>The name of ‖g‖, the global gradient norm before clipping, among a step's probes.</summary>
    public const string GradNorm = "grad_norm";

    /// <summary>√(Σ ‖t‖²) over <paramref name="tensors"/>, as a device scalar (no host sync), summed in their order.</summary>
    public static Tensor GlobalNorm(IEnumerable<Tensor> tensors) => stack(tensors.Select(t => t.Squared().sum()).ToArray()).sum().sqrt();

    /// <summary>Scales every gradient by min(1, maxNorm / (‖g‖ + 1e-6)); returns ‖g‖ before clipping.</summary>
    public static Tensor ClipGlobalNorm(IEnumerable<Tensor> parameters, double maxNorm)
    {
        using var _ = no_grad();
        var grads = parameters.Select(p => p.grad).Where(g => g is not null).Select(g => g!).ToList();
        var total = GlobalNorm(grads);
        var scale = (LiveScalar.Of(maxNorm) / total.Plus(1e-6)).clamp_max(LiveScalar.Of(1.0));
        foreach (var g in grads) g.mul_(scale);
        return total;
    }
}
