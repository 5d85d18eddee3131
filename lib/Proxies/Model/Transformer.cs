using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Proxies.Runtime;

namespace Proxies.Model;

/// <summary>
/// The paper's decoder-only Transformer (Wortsman et al. 2023, docs/science/model-and-training.md), top to bottom in the order
/// data flows: embedding → L × [pre-LN attention with optional qk-LayerNorm and RoPE, pre-LN GELU MLP] →
/// final LN → untied head. No biases anywhere; LayerNorms are mean-centred with a gain and no bias. The
/// output-logit switches (tied head, fixed final gain, soft-capping, bf16 logits) act at the end of the forward;
/// attention-logit soft-capping acts inside each block's attention.
/// Weights are stored as (out, in), as nn.Linear does: y = x Wᵀ.
/// </summary>
public sealed class Transformer : nn.Module
{
    public ModelConfig Config { get; }
    readonly Parameter embed;            // (V, d)
    readonly ModuleList<Block> blocks;
    readonly Parameter? ln_f;            // (d); none when the final gain is fixed at 1
    readonly Parameter? head;            // (V, d); none when tied to the embedding
    readonly Rope rope;

    public Transformer(ModelConfig config, Device? device = null, Generator? generator = null) : base("transformer")
    {
        Config = config;
        device ??= CPU;
        embed = new Parameter(empty(config.Vocab, config.Width));
        blocks = new ModuleList<Block>(Enumerable.Range(0, config.Depth).Select(_ => new Block(config)).ToArray());
        if (config.FinalLnGain == FinalLnGain.Learned) ln_f = new Parameter(ones(config.Width));
        if (!config.TieHead) head = new Parameter(empty(config.Vocab, config.Width));
        RegisterComponents();
        Initialise(generator);
        this.to(device);
        rope = new Rope(config.SeqLen, config.HeadDim, config.RopeBase, device);
    }

    /// <summary>tokens (B, T) → output logits (B, T, V). When <paramref name="probe"/> is given, each block
    /// adds its attention statistics to it, and the mean final hidden state is kept (computed without gradients).</summary>
    public Tensor Forward(Tensor tokens, ForwardProbe? probe = null)
    {
        var x = embed.index_select(0, tokens.flatten()).view(tokens.shape[0], tokens.shape[1], Config.Width);
        if (Config.EmbedGradShrink != 1) x = (LiveScalar.Of(Config.EmbedGradShrink) * x).Plus(LiveScalar.Of(1 - Config.EmbedGradShrink) * x.detach());
        probe?.RecordActivation("embed", x);
        for (int b = 0; b < blocks.Count; b++) x = blocks[b].Forward(x, rope, probe, b);
        var h = LayerNorm(x, ln_f, Config.LnEps);
        probe?.RecordFinalHidden(h);
        Tensor w = HeadWeight;
        if (Config.Precision == Precision.Bf16) w = RoundToBf16(w);
        var y = Linear(h, w, Config.Matmul).to(ScalarType.Float32);    // the loss and probes read fp32 logits
        if (Config.Precision == Precision.Bf16) y = RoundToBf16(y);
        if (Config.LogitSoftcap > 0) y = Losses.OutputLogitFixes.SoftCap(y, Config.LogitSoftcap);
        probe?.RecordActivation("logits", y);
        return y;
    }

    /// <summary>The model's blocks, in order (the κ transplant sets their logit scales).</summary>
    public IReadOnlyList<Block> Blocks => blocks.ToList();

    /// <summary>What a parameter of this model is (for weight decay, μParam's LR multipliers and the per-layer probes),
    /// as declared where the parameter is created, never guessed from its name.</summary>
    public ParameterKind KindOf(Parameter p) =>
        Parameters().Where(d => ReferenceEquals(d.Parameter, p)).Select(d => (ParameterKind?)d.Kind).FirstOrDefault()
        ?? throw new ArgumentException("not a parameter of this model", nameof(p));

    /// <summary>Every parameter with the name its module declares for it and what it is, in a fixed order: the embedding,
    /// the final gain and the head, then each block's. The name is the per-layer curve columns' (grad_rms/blocks.0.w1),
    /// so renaming a field renames nothing in the results; the order is the optimizer's and gradient clipping's (the
    /// global norm sums the groups in it). Stacked is how many matrices of equal shape the parameter stacks along its rows
    /// (Muon orthogonalises each on its own).</summary>
    public IEnumerable<(string Name, Parameter Parameter, ParameterKind Kind, int Stacked)> Parameters() =>
        new[] { ("embed", (Parameter?)embed, ParameterKind.Embedding, 1), ("ln_f", ln_f, ParameterKind.Gain, 1), ("head", head, ParameterKind.Head, 1) }
            .Concat(blocks.SelectMany((b, i) => b.Parameters().Select(d => ($"blocks.{i}.{d.Name}", d.Parameter, d.Kind, d.Stacked))))
            // Read from the fields each time: moving a module to a device may replace its Parameter objects.
            .Where(d => d.Item2 is not null).Select(d => (d.Item1, d.Item2!, d.Item3, d.Item4));

    /// <summary>The matrix whose rows e_j make the output logits y_j = e_j·h: the head, or the embedding when tied.</summary>
    public Parameter HeadWeight => head ?? embed;
    public Parameter Embedding => embed;
    /// <summary>The final LayerNorm's gain, or null when it is fixed at 1.</summary>
    public Parameter? FinalGain => ln_f;

    /// <summary>x rounded to bfloat16 and back: the forward sees bf16 values, the backward a bf16-rounded gradient.</summary>
    static Tensor RoundToBf16(Tensor x) => x.to(ScalarType.BFloat16).to(ScalarType.Float32);

    /// <summary>x Wᵀ, in bfloat16 under bf16 autocast (the result stays bfloat16; a residual add promotes it back to
    /// fp32, and the backward pass runs the same products in bfloat16 and returns fp32 gradients to the fp32 weights).
    /// In fp32 on the CPU the product goes to OpenBLAS when this process asked for it (<see cref="Gemm.GemmBackends"/>).</summary>
    internal static Tensor Linear(Tensor x, Tensor w, MatmulPrecision precision) =>
        precision == MatmulPrecision.Bf16 ? F.linear(x.to(ScalarType.BFloat16), w.to(ScalarType.BFloat16))
        : Gemm.GemmBackends.Take(x, w) ? Gemm.BlasLinear.apply(x, w)
        : F.linear(x, w);

    internal static Tensor LayerNorm(Tensor x, Tensor? gain, double eps) => F.layer_norm(x, new[] { x.shape[^1] }, gain, null, eps);

    void Initialise(Generator? generator)
    {
        using var _ = no_grad();
        var c = Config;
        // Tensor.normal_, not nn.init.normal_: TorchSharp 0.107's nn.init.normal_ draws from the global stream
        // whatever generator it is given (seen here).
        embed.normal_(0, Init.EmbeddingStd(c.Width), generator);
        if (head is not null) Init.TruncatedNormal(head, Init.HeadStd(c), generator);
        foreach (var block in blocks) block.Initialise(generator);
    }

    /// <summary>One pre-LN block: x + Attention(LN(x)), then x + MLP(LN(x)).</summary>
    public sealed class Block : nn.Module
    {
        readonly ModelConfig c;
        readonly Parameter ln1, ln2;             // (d)
        readonly Parameter wqkv;                 // (3d, d): queries, keys and values in one GEMM
        readonly Parameter wo;                   // (d, d)
        readonly Parameter? q_ln, k_ln;          // (d_h), shared across heads

        /// <summary>s in z_ij → s·z_ij for this block's attention logits: 1 except in the κ transplant (Fig 10), which sets
        /// it after training so that the block's max logit becomes κ. Not a parameter: it is not trained or saved.</summary>
        public double LogitScale { get; set; } = 1;
        readonly Parameter w1;                   // (4d, d)
        readonly Parameter w2;                   // (d, 4d)

        public Block(ModelConfig config) : base("block")
        {
            c = config;
            int d = c.Width, hidden = c.MlpRatio * c.Width;
            ln1 = new Parameter(ones(d)); ln2 = new Parameter(ones(d));
            wqkv = new Parameter(empty(3 * d, d)); wo = new Parameter(empty(d, d));
            if (c.QkLayerNorm) { q_ln = new Parameter(ones(c.HeadDim)); k_ln = new Parameter(ones(c.HeadDim)); }
            w1 = new Parameter(empty(hidden, d)); w2 = new Parameter(empty(d, hidden));
            RegisterComponents();
        }

        /// <summary>Each parameter of the block with its name, what it is and how many matrices it stacks: the LayerNorm
        /// gains, and the four weight matrices, of which wqkv stacks W_q, W_k and W_v.</summary>
        internal IEnumerable<(string Name, Parameter? Parameter, ParameterKind Kind, int Stacked)> Parameters() =>
        [
            ("ln1", ln1, ParameterKind.Gain, 1), ("ln2", ln2, ParameterKind.Gain, 1), ("wqkv", wqkv, ParameterKind.Linear, 3), ("wo", wo, ParameterKind.Linear, 1),
            ("q_ln", q_ln, ParameterKind.Gain, 1), ("k_ln", k_ln, ParameterKind.Gain, 1), ("w1", w1, ParameterKind.Linear, 1), ("w2", w2, ParameterKind.Linear, 1),
        ];

        /// <summary>Scales head <paramref name="head"/>'s rows of W_q and of W_k by <paramref name="factor"/> each, which
        /// multiplies that head's attention logits by factor² (RoPE is a rotation, so it commutes with the scale; with
        /// qk-layernorm the next forward undoes it). QK-Clip's edit (Training/Hooks/QkClip.cs).</summary>
        public void ScaleQueryKey(int head, double factor)
        {
            using var _ = no_grad();
            int d = c.Width, dh = c.HeadDim;
            wqkv[(head * dh)..((head + 1) * dh)].mul_(LiveScalar.Of(factor));
            wqkv[(d + head * dh)..(d + (head + 1) * dh)].mul_(LiveScalar.Of(factor));
        }

        internal void Initialise(Generator? generator)
        {
            foreach (var w in new[] { wqkv, wo, w1, w2 }) Init.TruncatedNormal(w, Init.LinearStd(w.shape[1]), generator);
            // Full μParam starts attention uniform: zero queries (docs/science/model-and-training.md#μparam).
            if (c.MuParam == MuParam.Full) wqkv[..c.Width].zero_();
        }

        /// <param name="index">the block's place in the stack, naming its activations in the probe</param>
        public Tensor Forward(Tensor x, Rope rope, ForwardProbe? probe, int index = 0)
        {
            var attention = Attention(LayerNorm(x, ln1, c.LnEps), rope, probe);
            x = x.Plus(attention);
            var mlp = Linear(Gelu.Apply(Linear(LayerNorm(x, ln2, c.LnEps), w1, c.Matmul), c.Gelu), w2, c.Matmul);
            x = x.Plus(mlp);
            if (probe is not null)
            {
                probe.RecordActivation($"attn_out/{index}", attention);
                probe.RecordActivation($"mlp_out/{index}", mlp);
                probe.RecordActivation($"block_out/{index}", x);
            }
            return x;
        }

        Tensor Attention(Tensor x, Rope rope, ForwardProbe? probe)
        {
            long b = x.shape[0], t = x.shape[1];
            // Attention itself runs in fp32 under either matmul precision (see MatmulPrecision).
            var qkv = Linear(x, wqkv, c.Matmul).to(ScalarType.Float32);
            var (q, k, v) = QkvHeads.Apply(qkv, c.Heads, q_ln, k_ln, c.LnEps, rope);
            if (LogitScale != 1)
            {
                // The κ transplant (Fig 10): q and k each × √s multiply every attention logit by s.
                double root = Math.Sqrt(LogitScale);
                q = q * LiveScalar.Of(root); k = k * LiveScalar.Of(root);
            }
            probe?.Record(q, k, c.AttentionScale);
            var y = c.AttentionSoftcap > 0 ? AttentionSoftCap.Apply(q, k, v, c.AttentionScale, c.AttentionSoftcap)
                : CausalAttention.Apply(q, k, v, c.AttentionScale);
            return Linear(y.transpose(1, 2).reshape(b, t, c.Width), wo, c.Matmul);
        }
    }
}
