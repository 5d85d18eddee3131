using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Proxies.Model.Fused;

/// <summary>
/// The fused CPU kernels' switch and their access to tensor memory. A fused op is used when <see cref="Enabled"/> and
/// the tensor is one its kernel takes (CPU, float32); otherwise the model runs the composed libtorch form, which is the
/// reference the fused ops are tested against (in float64, values and gradients). Off only to measure what they save
/// (`bench --fused off`). The kernels are C# with 256-bit vectors (AVX2 on x86-64), so nothing is compiled at install
/// time; a CPU without them (Arm64's NEON is 128 bits) runs the composed forms.
/// </summary>
public static class Kernels
{
    public static bool Enabled { get; set; } = true;

    /// <summary>Whether a fused kernel can take <paramref name="x"/>: a CPU float32 tensor on a CPU with 256-bit vectors.</summary>
    public static bool Take(Tensor x) =>
        Enabled && Vector256.IsHardwareAccelerated && x.device_type == TorchSharp.DeviceType.CPU && x.dtype == ScalarType.Float32;

    /// <summary>Runs <paramref name="body"/> over [0, count) in ranges, one per libtorch intra-op thread (so a sweep's
    /// one-thread workers do not each fan out over every core), and on this thread alone when that is one or the work is
    /// under two <paramref name="grain"/>s. Range bounds are multiples of <paramref name="align"/> but for the last end.</summary>
    public static void ForRanges(long count, long grain, int align, Action<long, long> body, int? threads = null)
    {
        int parts = (int)Math.Min(threads ?? get_num_threads(), Math.Max(1, count / grain));
        if (parts == 1) { body(0, count); return; }
        Parallel.For(0, parts, p => body(count * p / parts / align * align, p == parts - 1 ? count : count * (p + 1) / parts / align * align));
    }

    /// <summary>The address of a contiguous CPU tensor's first element, storage offset included (libtorch owns the
    /// memory, so it does not move; the caller keeps the tensor alive while it uses the address).</summary>
    public static unsafe nint Address(Tensor contiguous)
    {
        if (!contiguous.is_contiguous()) throw new ArgumentException("a fused kernel needs a contiguous tensor");
        fixed (byte* p = contiguous.bytes) return (nint)p;
    }
}
