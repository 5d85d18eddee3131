namespace Proxies.Model;

/// <summary>What a parameter is, for LR multipliers, weight decay and per-layer probes, declared by the module that
/// creates it (<see cref="Transformer.Parameters"/>).</summary>
public enum ParameterKind { Embedding, Linear, Head, Gain }
