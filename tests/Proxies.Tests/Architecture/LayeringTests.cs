using System.Reflection;

namespace Proxies.Tests.Architecture;

/// <summary>
/// The library's folders depend on each other one way: a folder uses only the folders below it. Read from the compiled
/// library (base types, fields, signatures, and the members every method body's IL calls, reads or constructs), so how
/// the source spells a reference does not matter. Not seen: constants (compiled in as values) and the types of locals
/// that no call or signature names.
/// </summary>
public class LayeringTests
{
    /// <summary>Low to high; folders in one layer do not use each other.</summary>
    static readonly string[][] Layers =
    [
        ["Runtime"],
        ["Display", "Data", "Losses"],
        ["Model"],
        ["Optimization"],
        ["Probes"],
        ["Training"],
        ["Results"],
        ["Experiments"],
        ["Sweeps"],
        ["Forecasting"],
        ["Claims", "Benchmarks", "Figures"],
        ["Notebooks"],
    ];

    static int? Layer(Type? type)
    {
        if (type?.Namespace is not { } ns || !ns.StartsWith("Proxies.")) return null;
        var folder = ns.Split('.')[1];
        int i = Array.FindIndex(Layers, l => l.Contains(folder));
        return i >= 0 ? i : throw new InvalidOperationException($"folder {folder} ({type}) has no layer in this test");
    }

    [Fact]
    public void EveryFolderUsesOnlyTheFoldersBelowIt()
    {
        var library = typeof(Proxies.Training.Trainer).Assembly;
        var upward = new SortedSet<string>();
        foreach (var type in library.GetTypes())
        {
            if (Layer(type) is not int from) continue;
            foreach (var used in Referenced(type))
                if (Layer(used) is int to && (to > from || to == from && used.Namespace!.Split('.')[1] != type.Namespace!.Split('.')[1]))
                    upward.Add($"{type.Namespace!.Split('.')[1]} -> {used.Namespace!.Split('.')[1]} ({type.Name} uses {used.Name})");
        }
        Assert.True(upward.Count == 0, "folders that use a folder at or above their layer:\n" + string.Join("\n", upward));
    }

    const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Every type a type's signatures and method bodies name (generic arguments included).</summary>
    static IEnumerable<Type> Referenced(Type type)
    {
        var found = new List<Type>();
        void Add(Type? t)
        {
            if (t is null) return;
            if (t.HasElementType) { Add(t.GetElementType()); return; }
            if (t.IsGenericType && !t.IsGenericTypeDefinition) { Add(t.GetGenericTypeDefinition()); foreach (var a in t.GetGenericArguments()) Add(a); return; }
            found.Add(t);
        }
        Add(type.BaseType);
        foreach (var i in type.GetInterfaces()) Add(i);
        foreach (var f in type.GetFields(All)) Add(f.FieldType);
        foreach (var m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (m is MethodInfo mi) Add(mi.ReturnType);
            foreach (var p in m.GetParameters()) Add(p.ParameterType);
            foreach (var member in IlReferences.Of(m))
            {
                switch (member)
                {
                    case Type t: Add(t); break;
                    case MethodBase callee: Add(callee.DeclaringType); if (callee is MethodInfo c) Add(c.ReturnType); break;
                    case FieldInfo field: Add(field.DeclaringType); Add(field.FieldType); break;
                }
            }
        }
        return found;
    }
}
