using System.Reflection;
using System.Runtime.Loader;
using System.Text;

namespace Proxies.Notebooks;

/// <summary>
/// The kernel directives at the top of a cell: <c>#!csharp</c> (kernel name, dropped) and <c>#r "path.dll"</c>
/// (a reference, resolved against the notebook's folder as the kernel does). Assemblies are loaded into the
/// default load context, and one already loaded (the workbook's own library) is reused: two copies of it, or of
/// FSharp.Core, would break shared state and Plotly.NET.
/// </summary>
public static class CellDirectives
{
    public static (string Code, List<Assembly> References) Extract(string source, string notebookFolder)
    {
        var code = new StringBuilder();
        var references = new List<Assembly>();
        foreach (var line in source.Replace("\r\n", "\n").Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("#!csharp") || trimmed.StartsWith("#!c#")) { code.Append('\n'); continue; }
            if (trimmed.StartsWith("#r "))
            {
                references.Add(Resolve(trimmed[3..].Trim().Trim('"'), notebookFolder));
                code.Append('\n');   // keep line numbers of errors true to the cell
                continue;
            }
            code.Append(line).Append('\n');
        }
        return (code.ToString(), references);
    }

    static Assembly Resolve(string reference, string notebookFolder)
    {
        if (reference.StartsWith("nuget:"))
        {
            var package = reference[6..].Split(',')[0].Trim();
            return Loaded(package) ?? throw new NotSupportedException(
                $"#r \"{reference}\": the headless runner restores no NuGet packages; reference the workbook's built library instead");
        }
        var path = Path.GetFullPath(Path.Combine(notebookFolder, reference));
        if (!File.Exists(path)) throw new FileNotFoundException($"#r \"{reference}\": {path} does not exist (build the workbook first: dotnet build -c Release)", path);
        var name = AssemblyName.GetAssemblyName(path).Name!;
        return Loaded(name) ?? AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
    }

    static Assembly? Loaded(string simpleName) =>
        AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => string.Equals(a.GetName().Name, simpleName, StringComparison.OrdinalIgnoreCase))
        ?? TryLoadByName(simpleName);

    /// <summary>An assembly of this app (in its deps.json) that is not loaded yet.</summary>
    static Assembly? TryLoadByName(string simpleName)
    {
        try { return AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(simpleName)); }
        catch (FileNotFoundException) { return null; }
        catch (FileLoadException) { return null; }
    }
}
