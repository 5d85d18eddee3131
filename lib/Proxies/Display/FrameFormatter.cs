using System.Reflection;
using System.Runtime.CompilerServices;
using Deedle;

namespace Proxies.Display;

/// <summary>
/// In the .NET Interactive kernel, a Deedle frame left as a cell's value shows as the workbook's HTML table (numbers
/// formatted as every table formats them, <see cref="Table.Format"/>) instead of the kernel's default dump, so a
/// researcher can filter, sort or pivot results in a cell (<c>ResultsFrame.Runs(folder)</c>, <c>table.Frame</c>) and see
/// them. Registered when the library is first used in a kernel; elsewhere it does nothing. The kernel is reached by
/// reflection, as in <see cref="NotebookOutput"/>.
/// </summary>
public static class FrameFormatter
{
    [ModuleInitializer]
    internal static void RegisterInKernel()
    {
        var formatter = AppDomain.CurrentDomain.GetAssemblies()
            .FirstOrDefault(a => a.GetName().Name == "Microsoft.DotNet.Interactive.Formatting")
            ?.GetType("Microsoft.DotNet.Interactive.Formatting.Formatter");
        var register = formatter?.GetMethod("Register", [typeof(Type), typeof(Action<object, TextWriter>), typeof(string)]);
        if (register is null) return;
        register.Invoke(null, [typeof(Frame<,>), (Action<object, TextWriter>)((frame, writer) => writer.Write(Html(frame))), "text/html"]);
    }

    static readonly MethodInfo TableOf = typeof(Table).GetMethods()
        .Single(m => m.Name == nameof(Table.Of) && m.GetGenericArguments().Length == 2);

    /// <summary>Any Frame&lt;R, C&gt; as the workbook's HTML table, untitled.</summary>
    public static string Html(object frame) =>
        ((Table)TableOf.MakeGenericMethod(frame.GetType().GetGenericArguments()).Invoke(null, ["", frame])!).Html();
}
