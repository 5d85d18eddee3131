namespace Proxies.Display;

/// <summary>A value that shows itself in a notebook as a MIME bundle (a figure, a table).</summary>
public interface IRichOutput
{
    IReadOnlyDictionary<string, string> Bundle();
}
