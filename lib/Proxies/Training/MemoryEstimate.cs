using Proxies.Model;

namespace Proxies.Training;

/// <summary>
/// How much memory a run needs, estimated before it starts, so that a config that cannot fit is refused with the
/// estimate instead of crashing or swapping for hours. Computed in floating point: sizes too large for an integer are
/// refused, not overflowed.
/// </summary>
/// <param name="Parameters">fp32 weights, their gradients and Adam's two moments: 16 bytes a parameter.</param>
/// <param name="Activations">what backward keeps per block, after Korthikanti et al. 2022 (34·B·T·d + 5·H·B·T² values a
/// block, in fp32), plus the attention probe's B·H·T² logits.</param>
/// <param name="Logits">the B·T·V output logits in fp32, about four live copies (logits, log-softmax, their gradient, the
/// probes' detached copy).</param>
public sealed record MemoryEstimate(double Parameters, double Activations, double Logits)
{
    public double Total => Parameters + Activations + Logits;

    /// <param name="vocab">the vocabulary size; null when only the tokenizer file knows it (the logits are then left out).</param>
    public static MemoryEstimate Of(TrainConfig c, int? vocab)
    {
        var m = c.Model;
        double d = m.Width, layers = m.Depth, heads = m.Heads, t = m.SeqLen, b = c.BatchSize, v = vocab ?? 0;
        double embedding = v * d * (m.TieHead ? 1 : 2);
        double blocks = layers * ((4 + 2.0 * m.MlpRatio) * d * d + 2 * d);
        double activations = layers * b * t * (34 * d + 5 * heads * t) * 2 + b * heads * t * t * 4;
        return new MemoryEstimate(16 * (embedding + blocks), activations, 16 * b * t * v);
    }

    /// <summary>The memory this process may use: physical memory, or a container's limit.</summary>
    public static double Available => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    public static string Gb(double bytes) => $"{bytes / (1L << 30):G3} GiB";

    public override string ToString() =>
        $"about {Gb(Total)} (parameters, gradients and Adam state {Gb(Parameters)}, activations {Gb(Activations)}, logits {Gb(Logits)})";
}
