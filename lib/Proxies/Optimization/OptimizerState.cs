using static TorchSharp.torch;

namespace Proxies.Optimization;

/// <summary>A copy of an optimizer's state (AdamW: both moments and the step count), to rewind a run to.</summary>
public sealed record OptimizerState(Tensor[] Tensors, int StepCount) : IDisposable
{
    public void Dispose()
    {
        foreach (var t in Tensors) t.Dispose();
    }
}
