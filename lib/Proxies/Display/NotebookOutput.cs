using System.Collections;
using System.Reflection;

namespace Proxies.Display;

/// <summary>
/// Where a notebook's figures and tables go. Inside the .NET Interactive kernel (VS Code Polyglot Notebooks, Jupyter's
/// .NET kernel, the workbook's headless runner) a whole MIME bundle becomes one display output; anywhere else (a
/// script, the CLI) its plain-text part is printed.
/// </summary>
/// <remarks>
/// The kernel's types are reached by reflection, not by a package reference: the library also runs in the CLI and in
/// worker processes, where a reference would bring the kernel's ~20 MB of assemblies (Roslyn among them) for nothing.
/// In the kernel, the types are those of the running kernel, whatever its version.
/// </remarks>
public static class NotebookOutput
{
    /// <summary>True when running inside the .NET Interactive kernel.</summary>
    public static bool InKernel => Kernel.Value is { } k && k.Current.GetValue(null) is not null;

    public static void Publish(IReadOnlyDictionary<string, string> bundle)
    {
        if (Kernel.Value is { } kernel && kernel.Current.GetValue(null) is { } context)
        {
            kernel.Display(context, bundle);
            return;
        }
        Console.WriteLine(bundle.TryGetValue("text/plain", out var text) ? text : string.Join(", ", bundle.Keys));
    }

    static readonly Lazy<KernelApi?> Kernel = new(KernelApi.Find);

    /// <summary>KernelInvocationContext.Current.Publish(new DisplayedValueProduced(null, command, formattedValues)).</summary>
    sealed record KernelApi(PropertyInfo Current, PropertyInfo Command, MethodInfo PublishEvent, ConstructorInfo Displayed, ConstructorInfo Formatted, Type FormattedType)
    {
        public static KernelApi? Find()
        {
            var types = AppDomain.CurrentDomain.GetAssemblies()
                .Where(a => a.GetName().Name is "Microsoft.DotNet.Interactive" or "Microsoft.DotNet.Interactive.Formatting")
                .SelectMany(a => a.GetExportedTypes()).ToDictionary(t => t.FullName!);
            if (!types.TryGetValue("Microsoft.DotNet.Interactive.KernelInvocationContext", out var context)
                || !types.TryGetValue("Microsoft.DotNet.Interactive.Events.DisplayedValueProduced", out var displayed)
                || !types.TryGetValue("Microsoft.DotNet.Interactive.Formatting.FormattedValue", out var formatted))
                return null;
            return new KernelApi(
                context.GetProperty("Current", BindingFlags.Public | BindingFlags.Static)!,
                context.GetProperty("Command")!,
                context.GetMethods().Single(m => m.Name == "Publish" && m.GetParameters().Length == 1),
                displayed.GetConstructors().Single(),
                formatted.GetConstructor([typeof(string), typeof(string)])!,
                formatted);
        }

        public void Display(object context, IReadOnlyDictionary<string, string> bundle)
        {
            var values = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(FormattedType))!;
            foreach (var (mime, content) in bundle) values.Add(Formatted.Invoke([mime, content]));
            var args = Displayed.GetParameters().Select((p, i) => i switch
            {
                0 => bundle.TryGetValue("text/plain", out var text) ? text : null,   // the value
                1 => Command.GetValue(context),
                2 => values,
                _ => p.HasDefaultValue ? p.DefaultValue : null,
            }).ToArray();
            PublishEvent.Invoke(context, [Displayed.Invoke(args)]);
        }
    }
}
