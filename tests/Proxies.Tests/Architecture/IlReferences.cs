using System.Reflection;
using System.Reflection.Emit;

namespace Proxies.Tests.Architecture;

/// <summary>What a method's compiled body refers to, read from its IL opcode by opcode: the methods, fields and types
/// its instructions name (calls, field accesses, casts, tokens). For tests that check the code itself: the layering
/// of folders, and the calls that would hand libtorch a temporary Scalar.</summary>
static class IlReferences
{
    static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>Every member <paramref name="method"/>'s body names; none for a method without a readable body
    /// (abstract, native), and a member that cannot be resolved (its assembly is not loaded) is left out.</summary>
    public static IEnumerable<MemberInfo> Of(MethodBase method)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception e) when (Unresolvable(e)) { il = null; }
        if (il is null) yield break;
        var typeArgs = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int at = 0; at < il.Length;)
        {
            short value = il[at] == 0xFE ? unchecked((short)(0xFE00 | il[at + 1])) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            var op = OpCodesByValue[value];
            int size = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
                _ => 4,
            };
            if (op.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                MemberInfo? member = null;
                try { member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArgs, methodArgs); }
                catch (Exception e) when (Unresolvable(e)) { }
                if (member is not null) yield return member;
            }
            at += size;
        }
    }

    /// <summary>The methods <paramref name="method"/>'s body calls (call, callvirt, newobj, ldftn, or names by token).</summary>
    public static IEnumerable<MethodBase> Callees(MethodBase method) => Of(method).OfType<MethodBase>();

    // A body or member in an assembly that is not loaded (TorchSharp's optional dependencies), or a token that is not a member.
    static bool Unresolvable(Exception e) =>
        e is ArgumentException or TypeLoadException or BadImageFormatException or FileNotFoundException or FileLoadException;
}
