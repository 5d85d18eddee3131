using TorchSharp;

namespace Proxies.Runtime;

/// <summary>Numbers passed to libtorch as Scalars that stay alive through the native call.</summary>
/// <remarks>
/// TorchSharp turns a number into a libtorch Scalar (implicitly, and inside its Tensor-number operators) and passes
/// only its native handle on. Nothing keeps the managed Scalar alive while libtorch runs, so a garbage collection
/// started by another thread (a progress writer, the test host, the autograd engine) can run its finalizer and free
/// it mid-call. Training runs aborted that way in masked_fill, comparisons and the histogram's bins ("Expected false
/// to be true" from Scalar::toFloat / toDouble), about once in a CI run. So every number reaches libtorch through here;
/// a test reads the workbook's compiled code for any call that would make a temporary Scalar
/// (tests/Proxies.Tests/Runtime/LiveScalarTests.cs).
///
/// A Scalar from <see cref="Of(double)"/> is for the argument of a call made right away: each thread keeps its last
/// <see cref="Kept"/> Scalars referenced and disposes the oldest when it makes a new one, long after the synchronous
/// call that used it has returned. A Scalar kept in a field is made with <c>ToScalar()</c> instead.
/// </remarks>
public static class LiveScalar
{
    /// <summary>How many Scalars a thread keeps alive; more than any one call takes as arguments.</summary>
    public const int Kept = 64;

    [ThreadStatic] static Scalar?[]? ring;
    [ThreadStatic] static int next;

    /// <summary>A floating-point Scalar (libtorch's double), alive until <see cref="Kept"/> more are made on this thread.</summary>
    public static Scalar Of(double value) => Keep(value.ToScalar());

    /// <summary>An integer Scalar (libtorch's int64): integer tensors keep their dtype when combined with it
    /// (a floor division of indices stays an index).</summary>
    public static Scalar Of(long value) => Keep(value.ToScalar());

    static Scalar Keep(Scalar scalar)
    {
        ring ??= new Scalar?[Kept];
        ring[next]?.Dispose();
        ring[next] = scalar;
        next = (next + 1) % Kept;
        return scalar;
    }
}
