using static TorchSharp.torch;

namespace Proxies.Optimization;

/// <summary>A copy of every group's weights, outside any dispose scope: to rewind a run to, or to undo a change made to
/// try something on the weights.</summary>
public sealed class WeightSnapshot(IReadOnlyList<ParameterGroup> groups) : IDisposable
{
    readonly Tensor[] weights = groups.Select(g => g.Parameter.detach().clone().DetachFromDisposeScope()).ToArray();

    /// <summary>The saved weights, in group order.</summary>
    public IReadOnlyList<Tensor> Tensors => weights;

    /// <summary>Copies the saved weights into <paramref name="into"/>, groups in the same order as taken.</summary>
    public void CopyInto(IReadOnlyList<ParameterGroup> into)
    {
        using var _ = no_grad();
        foreach (var (group, saved) in into.Zip(weights)) group.Parameter.copy_(saved);
    }

    public void Dispose()
    {
        foreach (var t in weights) t.Dispose();
    }
}
