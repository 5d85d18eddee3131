using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Optimization;

/// <summary>
/// Muon's orthogonalisation (Jordan et al. 2024): five steps of the quintic Newton–Schulz iteration
///   X ← G/‖G‖_F,  then  A = X Xᵀ,  X ← a·X + (b·A + c·A²)·X,  (a, b, c) = (3.4445, −4.7750, 2.0315),
/// run on the wide orientation (rows ≤ columns). Each step maps every singular value σ of X through
/// p(σ) = aσ + bσ³ + cσ⁵ and keeps the singular vectors, so the result is U·p⁵(Σ/‖G‖_F)·Vᵀ: an approximation of the
/// orthogonal factor U Vᵀ whose singular values land in [0.68, 1.14] (for every singular value at least 1% of ‖G‖_F)
/// rather than exactly 1, which is the point of these coefficients: fast, not exact.
/// </summary>
public static class NewtonSchulz
{
    public const double A = 3.4445, B = -4.7750, C = 2.0315;
    public const int Steps = 5;

    /// <summary>The approximate orthogonal factor of a 2-D <paramref name="g"/> (same shape).</summary>
    public static Tensor Orthogonalise(Tensor g, int steps = Steps)
    {
        bool tall = g.shape[0] > g.shape[1];
        var x = tall ? g.t() : g;
        x = x / x.norm().Plus(1e-7);
        for (int i = 0; i < steps; i++)
        {
            var a = x.matmul(x.t());
            var poly = (LiveScalar.Of(B) * a).Plus(LiveScalar.Of(C) * a.matmul(a));   // b·A + c·A²
            x = (LiveScalar.Of(A) * x).Plus(poly.matmul(x));
        }
        return tall ? x.t() : x;
    }
}
