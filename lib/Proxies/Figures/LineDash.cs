namespace Proxies.Figures;

/// <summary>Line style of a series. Papers use dash to separate e.g. baseline from proxy runs of the same model size.</summary>
public enum LineDash
{
    Solid,
    Dash,
    Dot,
}
