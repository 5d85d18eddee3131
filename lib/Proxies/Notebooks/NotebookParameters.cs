namespace Proxies.Notebooks;

/// <summary>
/// A notebook's parameters cell reads its values here, so the same file runs as written in VS Code (the default
/// in the cell) and headless with overrides (`notebooks --profile smoke --out DIR`, or PROXIES_&lt;NAME&gt;
/// environment variables).
/// </summary>
public static class NotebookParameters
{
    static readonly Dictionary<string, string> Overrides = new(StringComparer.OrdinalIgnoreCase);

    public static void Set(string name, string value) => Overrides[name] = value;

    public static void Clear() => Overrides.Clear();

    public static string Get(string name, string fallback) =>
        Overrides.TryGetValue(name, out var v) ? v
        : Environment.GetEnvironmentVariable("PROXIES_" + name.ToUpperInvariant().Replace('-', '_')) ?? fallback;
}
