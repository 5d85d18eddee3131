namespace Proxies.Model;

/// <summary>Matrix-multiply FLOPs of one training step (forward + backward = 3 × forward), for MFU and time estimates.</summary>
public static class Flops
{
    /// <summary>6·(N + V·d)·B·T for the weight matrices (the head included, the embedding lookup is free), with
    /// N = L·(4 + 2·r)·d² the blocks' matrices (attention 4d², MLP 2·r·d² at MLP ratio r: 12·L·d² at the paper's 4),
    /// plus 12·L·B·T²·d for q·kᵀ and attention·v (2 FLOPs a multiply-add, forward and twice backward).</summary>
    public static double PerStep(ModelConfig c, int batchSize)
    {
        double tokens = (double)batchSize * c.SeqLen;
        double weights = (4.0 + 2.0 * c.MlpRatio) * c.Depth * c.Width * c.Width + (double)c.Vocab * c.Width;
        return 6 * weights * tokens + 12.0 * c.Depth * tokens * c.SeqLen * c.Width;
    }
}
