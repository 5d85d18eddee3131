namespace Proxies.Notebooks;

/// <summary>What a cell sees at top level, as in the C# kernel: <c>display(value)</c>.</summary>
public sealed class ScriptGlobals
{
    /// <summary>Shows a value as a cell output: figures and tables as their MIME bundle, anything else as text.</summary>
    public void display(object? value) => NotebookRunner.DisplayValue(value);
}
