using TorchSharp;
using static TorchSharp.torch;

namespace Proxies.Model;

/// <summary>The causal mask of explicitly formed attention logits: every pair (i, j) with j &gt; i set to −∞.</summary>
public static class CausalMask
{
    // one −∞ for every call, alive as long as the process (a temporary one can be freed mid-call: Runtime.LiveScalar)
    static readonly Scalar MinusInfinity = double.NegativeInfinity.ToScalar();

    /// <summary><paramref name="logits"/> (…, T, T) with the future pairs at −∞.</summary>
    public static Tensor Apply(Tensor logits)
    {
        long t = logits.shape[^1];
        using var future = ones(t, t, dtype: ScalarType.Bool, device: logits.device).triu(1);
        return logits.masked_fill(future, MinusInfinity);
    }
}
