using System.Reflection;

namespace Proxies.Notebooks;

/// <summary>Receives rich outputs (a MIME bundle: MIME type → content) from notebook cells.</summary>
public interface IDisplaySink
{
    void Display(IReadOnlyDictionary<string, string> bundle);
}

/// <summary>
/// Where a notebook's figures and tables go. The headless runner installs a <see cref="Sink"/>; inside the
/// Polyglot (.NET Interactive) kernel the HTML part is handed to the kernel's own DisplayAs, found by
/// reflection so the library needs no reference to the (deprecated, off-mirror) kernel packages; anywhere
/// else (a script, the CLI) the plain-text part is printed.
/// </summary>
public static class NotebookOutput
{
    public static IDisplaySink? Sink { get; set; }

    /// <summary>Counts notebook sessions in this process (the headless runner starts one per notebook), so that
    /// plotly.js is embedded once per notebook rather than once per figure.</summary>
    public static int Session { get; private set; }

    public static void NewSession() => Session++;

    public static void Publish(IReadOnlyDictionary<string, string> bundle)
    {
        if (Sink is not null) { Sink.Display(bundle); return; }
        if (bundle.TryGetValue("text/html", out var html) && TryKernelDisplay(html, "text/html")) return;
        Console.WriteLine(bundle.TryGetValue("text/plain", out var text) ? text : string.Join(", ", bundle.Keys));
    }

    /// <summary>True when running inside the .NET Interactive kernel (VS Code Polyglot Notebooks).</summary>
    public static bool InKernel => KernelContext() is not null;

    static object? KernelContext() =>
        AppDomain.CurrentDomain.GetAssemblies()
            .Select(a => a.GetType("Microsoft.DotNet.Interactive.KernelInvocationContext", throwOnError: false))
            .FirstOrDefault(t => t is not null)
            ?.GetProperty("Current", BindingFlags.Public | BindingFlags.Static)?.GetValue(null);

    /// <summary>Calls KernelInvocationContextExtensions.DisplayAs(context, value, mimeType[, extra]).</summary>
    static bool TryKernelDisplay(string value, string mimeType)
    {
        var context = KernelContext();
        if (context is null) return false;
        var method = context.GetType().Assembly.GetTypes()
            .Where(t => t.IsAbstract && t.IsSealed)   // static classes
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .FirstOrDefault(m => m.Name == "DisplayAs" && m.GetParameters() is { Length: >= 3 } p
                && p[0].ParameterType.IsInstanceOfType(context) && p[1].ParameterType == typeof(string));
        if (method is null) return false;
        var args = method.GetParameters().Length == 3
            ? new object[] { context, value, mimeType }
            : new object[] { context, value, mimeType, Array.Empty<string>() };
        method.Invoke(null, args);
        return true;
    }
}
