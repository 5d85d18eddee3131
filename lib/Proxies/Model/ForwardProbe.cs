using Proxies.Runtime;
using static TorchSharp.torch;

namespace Proxies.Model;

/// <summary>
/// Statistics of one forward pass, kept as tensors so that reading them is one transfer. Per block: the max
/// pre-softmax attention logit z_ij = ⟨q_i, k_j⟩·scale over batch, heads and causal pairs (j ≤ i), and, at that pair,
/// ‖q_i‖, ‖k_j‖ and their cosine (App. E.1: which of them grew). And the size of the activations the forward pass
/// produces, mean |x| and RMS √(mean x²) of each: the embedding output, each block's attention and MLP outputs and
/// its output (the residual stream after it), and the output logits: microsoft/mup's coordinate check reads mean |x|,
/// the paper's App. C.1 the RMS of block outputs. And per block and head, that head's max logit S_max (QK-Clip's input,
/// and the AdamW-against-Muon comparison of Kimi K2).
/// </summary>
/// <param name="headMaximaOnly">Record each head's max logit and nothing else: what QK-Clip reads at every step, for
/// one logits product per block instead of every statistic.</param>
public sealed class ForwardProbe(bool headMaximaOnly = false)
{
    readonly List<Tensor> perBlock = new();
    readonly List<Tensor> perHead = new();
    readonly List<(string Name, Tensor Abs, Tensor Rms)> activations = new();

    /// <summary>Records mean |x| and the RMS of an activation under <paramref name="name"/> (embed, attn_out/b,
    /// mlp_out/b, block_out/b, logits).</summary>
    internal void RecordActivation(string name, Tensor x)
    {
        if (headMaximaOnly) return;
        using var _ = no_grad();
        var values = x.detach().to(ScalarType.Float32);
        activations.Add((name, values.abs().mean(), values.Squared().mean().sqrt()));
    }

    /// <summary>The name of mean |x| of an activation.</summary>
    public static string MeanAbs(string activation) => $"act_abs/{activation}";

    /// <summary>The name of √(mean x²) of an activation.</summary>
    public static string Rms(string activation) => $"act_rms/{activation}";

    /// <summary>Logits z = q kᵀ · scale with non-causal pairs set to −∞; q, k: (B, H, T, d_h).</summary>
    public static Tensor CausalLogits(Tensor q, Tensor k, double scale)
    {
        return CausalMask.Apply(matmul(q, k.transpose(-2, -1)).mul(LiveScalar.Of(scale)));
    }

    internal void Record(Tensor q, Tensor k, double scale)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var z = CausalLogits(q, k, scale);                                  // (B, H, T, T)
        perHead.Add(z.amax(new long[] { 0, 2, 3 }).MoveToOuterDisposeScope());   // (H): each head's S_max
        if (headMaximaOnly) return;
        long t = z.shape[^1];
        var flat = z.flatten();
        var at = flat.argmax().reshape(1);
        var qNorm = q.norm(-1).flatten();                                    // (B·H·T)
        var kNorm = k.norm(-1).flatten();
        var row = at.div(LiveScalar.Of(t), rounding_mode: RoundingMode.floor);             // index of (b, h, i)
        var col = (row.div(LiveScalar.Of(t), rounding_mode: RoundingMode.floor) * LiveScalar.Of(t)).Plus(at.remainder(LiveScalar.Of(t))); // index of (b, h, j)
        var max = flat.index_select(0, at);
        var qn = qNorm.index_select(0, row); var kn = kNorm.index_select(0, col);
        var cos = max / (LiveScalar.Of(scale) * qn * kn);
        perBlock.Add(cat(new[] { max, qn, kn, cos }).MoveToOuterDisposeScope());
    }

    /// <summary>Each block's per-head max logit S_max, shape (L, H).</summary>
    public Tensor HeadMaxLogits() => stack(perHead);

    /// <summary>The mean final hidden state h̄ (after the final LayerNorm, over batch and positions): the mean output
    /// logit is exactly μ·h̄, with μ the mean row of the head.</summary>
    public Tensor? FinalHiddenMean { get; private set; }

    internal void RecordFinalHidden(Tensor h)
    {
        if (headMaximaOnly) return;
        using var _ = no_grad();
        FinalHiddenMean = h.detach().reshape(-1, h.shape[^1]).mean(new long[] { 0 });
    }

    /// <summary>Rows per block: max logit, ‖q‖ and ‖k‖ at that pair, cosine. Shape (L, 4).</summary>
    public Tensor Stacked() => stack(perBlock);

    /// <summary>The max attention logit over every block (<see cref="MaxLogit"/>), and per block b:
    /// attn_logit_max/b, and at that pair attn_q_norm/b, attn_k_norm/b and attn_cos/b.</summary>
    public Scalars Scalars()
    {
        var scalars = new Scalars();
        if (perBlock.Count > 0)
        {
            var stacked = Stacked();
            scalars.Add(MaxLogit, stacked[.., 0].max());
            for (int b = 0; b < perBlock.Count; b++)
            {
                scalars.Add(BlockMaxLogit(b), stacked[b, 0]).Add(QueryNorm(b), stacked[b, 1])
                    .Add(KeyNorm(b), stacked[b, 2]).Add(QueryKeyCosine(b), stacked[b, 3]);
                for (int h = 0; h < perHead[b].shape[0]; h++) scalars.Add(HeadMaxLogit(b, h), perHead[b][h]);
            }
        }
        foreach (var (name, abs, rms) in activations) scalars.Add(MeanAbs(name), abs).Add(Rms(name), rms);
        return scalars;
    }

    /// <summary>The name of the max attention logit over all blocks.</summary>
    public const string MaxLogit = "max_attn_logit";

    /// <summary>The name of block b's max attention logit (the paper's Figs 2 and 9 use block 0).</summary>
    public static string BlockMaxLogit(int block) => $"attn_logit_max/{block}";

    /// <summary>The name of head h's max attention logit S_max in block b.</summary>
    public static string HeadMaxLogit(int block, int head) => $"attn_head_logit_max/{block}.{head}";

    /// <summary>‖q_i‖, ‖k_j‖ and cos(q_i, k_j) at block b's max-logit pair (i, j).</summary>
    public static string QueryNorm(int block) => $"attn_q_norm/{block}";
    public static string KeyNorm(int block) => $"attn_k_norm/{block}";
    public static string QueryKeyCosine(int block) => $"attn_cos/{block}";

    public int Blocks => perBlock.Count;
}
