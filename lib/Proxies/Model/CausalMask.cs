using TorchSharp;
using static TorchSharp.torch;

namespace Proxies.Model;

/// <summary>The causal mask of explicitly formed attention logits: every pair (i, j) with j &gt; i set to −∞.</summary>
public static class CausalMask
{
    // One long-lived −∞ scalar. Passing a double makes a temporary libtorch Scalar per call that nothing keeps alive
    // during the native call, and its finalizer can free it mid-call: a killed-and-resumed training run aborted in
    // masked_fill with "Expected false to be true" from Scalar::toFloat (the same failure as the |r| histogram's bins).
    static readonly Scalar MinusInfinity = double.NegativeInfinity.ToScalar();

    /// <summary><paramref name="logits"/> (…, T, T) with the future pairs at −∞.</summary>
    public static Tensor Apply(Tensor logits)
    {
        long t = logits.shape[^1];
        using var future = ones(t, t, dtype: ScalarType.Bool, device: logits.device).triu(1);
        return logits.masked_fill(future, MinusInfinity);
    }
}
