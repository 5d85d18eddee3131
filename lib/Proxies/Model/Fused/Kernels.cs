using static TorchSharp.torch;

namespace Proxies.Model.Fused;

/// <summary>
/// The fused CPU kernels' switch and their access to tensor memory. A fused op is used when <see cref="Enabled"/> and
/// the tensor is one its kernel takes (CPU, float32); otherwise the model runs the composed libtorch form, which is the
/// reference the fused ops are tested against (in float64, values and gradients). Off only to measure what they save
/// (`bench --fused off`).
/// </summary>
public static class Kernels
{
    public static bool Enabled { get; set; } = true;

    /// <summary>The address of a contiguous CPU tensor's first element, storage offset included (libtorch owns the
    /// memory, so it does not move; the caller keeps the tensor alive while it uses the address).</summary>
    public static unsafe nint Address(Tensor contiguous)
    {
        if (!contiguous.is_contiguous()) throw new ArgumentException("a fused kernel needs a contiguous tensor");
        fixed (byte* p = contiguous.bytes) return (nint)p;
    }
}
