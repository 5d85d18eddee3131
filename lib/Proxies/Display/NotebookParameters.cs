namespace Proxies.Display;

/// <summary>
/// A notebook's parameters cell reads its values here, so the same file runs as written in VS Code (the default
/// in the cell) and headless with overrides (`notebooks --profile smoke --out DIR`, which sets PROXIES_&lt;NAME&gt;
/// environment variables for the kernel, as a user can).
/// </summary>
public static class NotebookParameters
{
    static readonly Dictionary<string, string> Overrides = new(StringComparer.OrdinalIgnoreCase);

    public static void Set(string name, string value) => Overrides[name] = value;

    public static void Clear() => Overrides.Clear();

    public static string Get(string name, string fallback) => TryGet(name) ?? fallback;

    /// <summary>The value set in this kernel, else the PROXIES_&lt;NAME&gt; variable, else null.</summary>
    public static string? TryGet(string name) =>
        Overrides.TryGetValue(name, out var v) ? v : Environment.GetEnvironmentVariable(Variable(name));

    /// <summary>The environment variable of a parameter: PROXIES_ and its name in capitals, '-' as '_'.</summary>
    public static string Variable(string name) => "PROXIES_" + name.ToUpperInvariant().Replace('-', '_');
}
