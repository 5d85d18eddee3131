using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Proxies.Model;

/// <summary>Which GELU the MLP uses. The paper does not say; its code base (flax) defaults to the tanh form.</summary>
public enum GeluKind { Tanh, Exact }

/// <summary>
/// GELU(x) = x·Φ(x). Exact: ½x(1 + erf(x/√2)). Tanh approximation: ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
/// They differ by less than 1e-3. The tanh form runs in the fused kernel <see cref="Fused.FusedGeluTanh"/> wherever it
/// takes the activation (<see cref="Fused.Kernels"/>): libtorch's tanh-form kernel is the slow one on CPUs
/// (`bench --kernels`; docs/performance.md#why-the-code-is-as-it-is).
/// </summary>
public static class Gelu
{
    public static Tensor Apply(Tensor x, GeluKind kind) => kind switch
    {
        GeluKind.Exact => F.gelu(x),
        _ when Fused.Kernels.Take(x) => Fused.FusedGeluTanh.apply(x),
        _ => LibtorchTanh(x),
    };

    /// <summary>libtorch's tanh form: where the fused kernel does not run, and its reference.</summary>
    public static Tensor LibtorchTanh(Tensor x) => F.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh);
}
