using TorchSharp;
using static TorchSharp.torch;

namespace Proxies.Runtime;

/// <summary>Sums and squares without TorchSharp's temporary Scalars.</summary>
/// <remarks>TorchSharp's <c>a + b</c>, <c>add(b)</c> and <c>add_(b)</c> pass libtorch a temporary alpha = 1, and
/// <c>square()</c> a temporary exponent 2, with the race <see cref="LiveScalar"/> describes. These pass long-lived
/// ones to the same libtorch calls, so the results are bit for bit TorchSharp's.</remarks>
public static class ScalarFree
{
    static readonly Scalar One = 1.ToScalar(), Two = 2.ToScalar();

    /// <summary>a + b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a + b for a number b.</summary>
    public static Tensor Plus(this Tensor a, double b) => a.add(LiveScalar.Of(b), One);

    /// <summary>a += b, in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary>a += b for a number b, in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, double b) => a.add_(LiveScalar.Of(b), One);

    /// <summary>a², elementwise.</summary>
    public static Tensor Squared(this Tensor a) => a.pow(Two);
}
