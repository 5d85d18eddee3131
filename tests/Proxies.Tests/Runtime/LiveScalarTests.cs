using System.Reflection;
using Proxies.Tests.Architecture;
using Proxies.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Proxies.Tests.Runtime;

/// <summary>No call in the workbook hands libtorch a Scalar that nothing keeps alive (<see cref="LiveScalar"/>): the
/// compiled code of every workbook assembly is read, and each call into TorchSharp is checked against the TorchSharp
/// methods that make a Scalar, directly or through the methods they call.</summary>
public class LiveScalarTests : TorchTest
{
    [Fact]
    public void NoWorkbookCallHandsLibtorchATemporaryScalar()
    {
        var torchSharp = typeof(Scalar).Assembly;
        var makesScalar = ScalarMakers(torchSharp);
        var workbook = new[] { typeof(LiveScalar).Assembly, typeof(Proxies.Cli.Program).Assembly,
                               typeof(Proxies.Notebooks.NotebookRunner).Assembly, typeof(LiveScalarTests).Assembly };
        var offenders = new List<string>();
        foreach (var method in workbook.SelectMany(Methods))
        {
            // LiveScalar and ScalarFree make the Scalars that are kept alive; a static constructor makes one for a static
            // field; the examples below show the scan what to find
            if (method.DeclaringType == typeof(LiveScalar) || method.DeclaringType == typeof(ScalarFree) || method is ConstructorInfo { IsStatic: true }
                || method.DeclaringType == typeof(Examples))
                continue;
            foreach (var callee in IlReferences.Callees(method).Where(c => makesScalar.Contains(Key(c))))
                offenders.Add($"{method.DeclaringType?.FullName}.{method.Name} calls {callee.DeclaringType?.Name}.{callee.Name}" +
                              $"({string.Join(", ", callee.GetParameters().Select(p => p.ParameterType.Name))})");
        }
        Assert.True(offenders.Count == 0, "these hand libtorch a temporary Scalar (pass LiveScalar.Of(x), or use ScalarFree's Plus / Squared):\n" +
                                           string.Join("\n", offenders.Distinct().Order()));
    }

    [Fact]
    public void TheScanFindsTheConversionsAndTheOperatorsThatMakeATemporaryScalar()
    {
        // the scan must see the ways in: an implicit conversion, a Tensor-number operator, and a method that passes a
        // hidden alpha (a + b), each in a method made for the purpose below
        var makesScalar = ScalarMakers(typeof(Scalar).Assembly);
        foreach (var name in new[] { nameof(Examples.Converts), nameof(Examples.MultipliesByANumber), nameof(Examples.AddsTwoTensors), nameof(Examples.Squares) })
            Assert.Contains(IlReferences.Callees(typeof(Examples).GetMethod(name)!), c => makesScalar.Contains(Key(c)));
        Assert.DoesNotContain(IlReferences.Callees(typeof(Examples).GetMethod(nameof(Examples.Safely))!), c => makesScalar.Contains(Key(c)));
    }

    /// <summary>What the scan must find, and what it must let through; never run.</summary>
    static class Examples
    {
        public static Tensor Converts(Tensor x) => x.mul(2.5);
        public static Tensor MultipliesByANumber(Tensor x) => x * 2.5;
        public static Tensor AddsTwoTensors(Tensor x) => x + x;
        public static Tensor Squares(Tensor x) => x.square();
        public static Tensor Safely(Tensor x) => x.Plus(x).Squared().mul(LiveScalar.Of(2.5)) * LiveScalar.Of(2);
    }

    [Fact]
    public void AScalarKeepsItsValueAndTypeUntilKeptMoreAreMadeThenItIsFreed()
    {
        var first = LiveScalar.Of(0.1);
        Assert.Equal(ScalarType.Float64, first.Type);
        Assert.Equal(0.1, first.ToDouble());
        var integer = LiveScalar.Of(7);
        Assert.Equal(ScalarType.Int64, integer.Type);
        Assert.Equal(7L, integer.ToInt64());
        for (int i = 0; i < LiveScalar.Kept - 2; i++) LiveScalar.Of(i);
        Assert.Equal(0.1, first.ToDouble());           // Kept − 1 made since: still alive
        LiveScalar.Of(1.0);
        Assert.Throws<InvalidOperationException>(() => first.ToDouble());   // the Kept-th: freed, and says so
    }

    [Fact]
    public void ScalarFreeSumsAndSquaresMatchFloat64()
    {
        var a = tensor(new[] { 1.5, -2.0, 0.25 }, dtype: float64);
        var b = tensor(new[] { 0.5, 3.0, -1.0 }, dtype: float64);
        Assert.Equal(new[] { 2.0, 1.0, -0.75 }, a.Plus(b).data<double>().ToArray());
        Assert.Equal(new[] { 1.75, -1.75, 0.5 }, a.Plus(0.25).data<double>().ToArray());
        Assert.Equal(new[] { 2.25, 4.0, 0.0625 }, a.Squared().data<double>().ToArray());
        a.PlusInPlace(b).PlusInPlace(1.0);
        Assert.Equal(new[] { 3.0, 2.0, 0.25 }, a.data<double>().ToArray());
    }

    /// <summary>A method by its definition: a call to a generic method or a member of a generic type resolves to a
    /// constructed method (Foo&lt;double&gt;, Module&lt;Tensor, Tensor&gt;.forward), which shares its definition's
    /// module and metadata token.</summary>
    static (Module, int) Key(MethodBase m) => (m.Module, m.MetadataToken);

    /// <summary>TorchSharp's methods that make a Scalar (by <see cref="Key"/>): the conversions, the Scalar
    /// constructors, and every method that calls one of those, however deep.</summary>
    static HashSet<(Module, int)> ScalarMakers(Assembly torchSharp)
    {
        var methods = Methods(torchSharp).ToList();
        var callees = methods.ToDictionary(m => m, m => IlReferences.Callees(m).ToList());
        var makers = methods.Where(m => m.DeclaringType == typeof(Scalar) && (m.Name == "op_Implicit" || m.IsConstructor && !m.IsStatic)
                                        || m.DeclaringType == typeof(ScalarExtensionMethods) && (m as MethodInfo)?.ReturnType == typeof(Scalar)).ToHashSet();
        var keys = makers.Select(Key).ToHashSet();
        for (bool grew = true; grew;)
        {
            grew = false;
            foreach (var m in methods)
                if (!keys.Contains(Key(m)) && callees[m].Any(c => keys.Contains(Key(c)))) grew = keys.Add(Key(m));
        }
        return keys;
    }

    static IEnumerable<MethodBase> Methods(Assembly assembly)
    {
        Type[] types;
        try { types = assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = e.Types.OfType<Type>().ToArray(); }   // types over optional dependencies
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        return types.SelectMany(t => t.GetMethods(all).Cast<MethodBase>().Concat(t.GetConstructors(all)));
    }
}
