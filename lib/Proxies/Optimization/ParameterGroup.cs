using Proxies.Model;
using TorchSharp.Modules;

namespace Proxies.Optimization;

/// <summary>One parameter with its name, kind, fan-in and LR multiplier (μParam; 1 otherwise), and how many matrices of
/// equal shape it stacks along its rows (a block's q, k and v projections are one parameter of 3; 1 otherwise).</summary>
public sealed record ParameterGroup(string Name, Parameter Parameter, ParameterKind Kind, long FanIn, double LrMultiplier, int Stacked = 1)
{
    /// <summary>Weight decay applies to matrices (embedding, linear layers, head), not to LayerNorm gains
    /// (the paper does not say; this is the usual choice).</summary>
    public bool Decays => Kind != ParameterKind.Gain;
}
