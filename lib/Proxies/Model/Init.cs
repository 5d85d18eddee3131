using TorchSharp;
using static TorchSharp.torch;
using Proxies.Runtime;

namespace Proxies.Model;

/// <summary>The paper's initialisation (docs/science/model-and-training.md#init).</summary>
public static class Init
{
    /// <summary>Std of a standard normal truncated to ±2: √(1 − 4φ(2)/(Φ(2) − Φ(−2))) = 0.8796256610.</summary>
    public const double TruncatedStdOfUnitNormal = 0.87962566103423978;

    /// <summary>Truncated normal (±2σ) rescaled so its standard deviation is exactly <paramref name="std"/>.
    /// Written out by rejection: TorchSharp 0.107's nn.init.trunc_normal_ fills a constant (std 0, seen here).</summary>
    public static void TruncatedNormal(Tensor weight, double std, Generator? generator = null)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        weight.normal_(0, 1, generator);
        for (var outside = weight.abs() > LiveScalar.Of(2); outside.any().item<bool>(); outside = weight.abs() > LiveScalar.Of(2))
            weight.masked_scatter_(outside, randn(outside.sum().item<long>(), generator: generator, device: weight.device));
        weight.mul_(LiveScalar.Of(std / TruncatedStdOfUnitNormal));
    }

    /// <summary>Every weight matrix: std 1/√fan_in.</summary>
    public static double LinearStd(long fanIn) => 1.0 / Math.Sqrt(fanIn);

    /// <summary>The input embedding: normal with std 1/√d.</summary>
    public static double EmbeddingStd(int width) => 1.0 / Math.Sqrt(width);

    /// <summary>The head: 1/√d, or √base/d under intermediate and full μParam (docs/science/model-and-training.md#μparam).</summary>
    public static double HeadStd(ModelConfig c) =>
        c.MuParam is MuParam.Intermediate or MuParam.Full ? Math.Sqrt(c.MuParamBaseWidth) / c.Width : LinearStd(c.Width);
}
