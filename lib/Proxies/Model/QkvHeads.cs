using static TorchSharp.torch;

namespace Proxies.Model;

/// <summary>
/// A block's queries, keys and values, from the output of its q/k/v projection: the (B, T, 3d) product is split into
/// three (B, H, T, d_h) tensors, qk-layernorm (when its gains are given) normalises each head's q and k over d_h
/// (docs/science/model-and-training.md#qk-layernorm), and RoPE rotates them.
/// </summary>
public static class QkvHeads
{
    /// <param name="qkv">(B, T, 3d): queries, keys and values side by side, heads in order within each.</param>
    /// <param name="qGain">qk-layernorm's gain on q (d_h), or null without qk-layernorm; likewise <paramref name="kGain"/>.</param>
    /// <remarks>The split, qk-layernorm and RoPE run as one fused CPU kernel (<see cref="Fused.FusedQkvHeads"/>) wherever
    /// it takes <paramref name="qkv"/> (<see cref="Fused.Kernels"/>); otherwise as libtorch ops (<see cref="Composed"/>).</remarks>
    public static (Tensor Q, Tensor K, Tensor V) Apply(Tensor qkv, int heads, Tensor? qGain, Tensor? kGain, double eps, Rope rope) =>
        Fused.FusedQkvHeads.Take(qkv) ? FusedForm(qkv, heads, qGain, kGain, eps, rope) : Composed(qkv, heads, qGain, kGain, eps, rope);

    /// <summary>The same in the fused kernel, for a <paramref name="qkv"/> it takes.</summary>
    public static (Tensor Q, Tensor K, Tensor V) FusedForm(Tensor qkv, int heads, Tensor? qGain, Tensor? kGain, double eps, Rope rope)
    {
        var (cos, sin) = rope.HalfTables((int)qkv.shape[1]);
        var qkvHeads = Fused.FusedQkvHeads.apply(qkv, heads, qGain, kGain, eps, cos, sin);
        return (qkvHeads[0], qkvHeads[1], qkvHeads[2]);
    }

    /// <summary>The same from libtorch ops (where the fused kernel does not run, and its reference): q, k and v
    /// are strided views of <paramref name="qkv"/>, normalised by libtorch's layer_norm and rotated by
    /// <see cref="Rope.Apply"/>.</summary>
    public static (Tensor Q, Tensor K, Tensor V) Composed(Tensor qkv, int heads, Tensor? qGain, Tensor? kGain, double eps, Rope rope)
    {
        long b = qkv.shape[0], t = qkv.shape[1], dh = qkv.shape[2] / 3 / heads;
        var split = qkv.view(b, t, 3, heads, dh).permute(2, 0, 3, 1, 4);   // (3, B, H, T, d_h)
        Tensor q = split[0], k = split[1], v = split[2];
        if (qGain is not null) { q = Transformer.LayerNorm(q, qGain, eps); k = Transformer.LayerNorm(k, kGain!, eps); }
        return (rope.Apply(q), rope.Apply(k), v);
    }
}
