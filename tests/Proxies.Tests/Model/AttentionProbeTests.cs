using Proxies.Model;
using static TorchSharp.torch;

namespace Proxies.Tests.Model;

public class AttentionProbeTests : TorchTest
{
    [Fact]
    public void MaxLogitIsOverCausalPairsOnly()
    {
        // One batch, one head, T = 3, d_h = 2. Hand-made q and k: the largest product is a future pair
        // (i=0, j=2: 10·100) and must be ignored; the largest causal pair is (i=2, j=1): ⟨(0,3),(2,1)⟩ = 3,
        // scaled by 0.5 → 1.5.
        var q = tensor(new float[] { 10, 0, 0, 1, 0, 3 }).reshape(1, 1, 3, 2);
        var k = tensor(new float[] { 0, 0, 2, 1, 100, 0 }).reshape(1, 1, 3, 2);
        var probe = new AttentionProbe();
        probe.Record(q, k, 0.5);
        var row = probe.Stacked()[0].data<float>().ToArray();
        Assert.Equal(1.5, row[0], 5);                              // max causal logit
        Assert.Equal(3.0, row[1], 5);                              // ‖q_2‖
        Assert.Equal(Math.Sqrt(5), row[2], 5);                     // ‖k_1‖
        Assert.Equal(3 / (3 * Math.Sqrt(5)), row[3], 5);           // cosine of the pair
    }
}
