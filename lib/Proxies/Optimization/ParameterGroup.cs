using Proxies.Model;
using TorchSharp.Modules;

namespace Proxies.Optimization;

/// <summary>One parameter with its name, kind, fan-in and LR multiplier (μParam; 1 otherwise).</summary>
public sealed record ParameterGroup(string Name, Parameter Parameter, ParameterKind Kind, long FanIn, double LrMultiplier)
{
    /// <summary>Weight decay applies to matrices (embedding, linear layers, head), not to LayerNorm gains
    /// (the paper does not say; this is the usual choice).</summary>
    public bool Decays => Kind != ParameterKind.Gain;
}
