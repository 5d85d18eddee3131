using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Proxies.Model;

/// <summary>Which GELU the MLP uses. The paper does not say; its code base (flax) defaults to the tanh form.
/// FusedTanh is the tanh form through a fused CPU kernel (<see cref="Fused.FusedGeluTanh"/>): equal to libtorch's up to
/// float32 rounding, which a high-LR run amplifies (one run at LR 0.3 ended 0.023 nats apart), so it is a choice of
/// its own, with its own run ids, and the default stays libtorch's kernel that the committed results were trained with.</summary>
public enum GeluKind { Tanh, Exact, FusedTanh }

/// <summary>
/// GELU(x) = x·Φ(x). Exact: ½x(1 + erf(x/√2)). Tanh approximation: ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
/// They differ by less than 1e-3. libtorch's tanh-form kernel is the slow one on CPUs (`bench --kernels`; docs/performance.md#why-the-code-is-as-it-is).
/// </summary>
public static class Gelu
{
    /// <summary>The fused kernel takes CPU float32 activations; elsewhere FusedTanh is libtorch's tanh form.</summary>
    public static Tensor Apply(Tensor x, GeluKind kind) => kind switch
    {
        GeluKind.Exact => F.gelu(x),
        GeluKind.FusedTanh when Fused.Kernels.Take(x) => Fused.FusedGeluTanh.apply(x),
        _ => F.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
    };
}
