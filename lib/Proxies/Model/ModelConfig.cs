using System.Text.Json.Serialization;

namespace Proxies.Model;

/// <summary>μParam variants of Wortsman et al. App. E.5 (docs/science/model-and-training.md#μparam).</summary>
public enum MuParam { Off, Simple, Intermediate, Full }

/// <summary>The final LayerNorm's gain: learned (the paper's model) or fixed at 1 (a non-parametric final LN, which
/// lets the output-logit drift reach the logits at small scale: docs/science/output-logit-divergence.md).</summary>
public enum FinalLnGain { Learned, Fixed }

/// <summary>fp32, or bf16 output logits: the head weight and the logits rounded to bfloat16 in the forward pass (and,
/// through the cast, the gradient in the backward pass), where the precision of large logits matters.</summary>
public enum Precision { Fp32, Bf16 }

/// <summary>The dtype of the weight matrix multiplies. Bf16 is bf16 autocast, as the paper and the output-logit study
/// trained: the inputs and weights of every linear layer (blocks and head) are cast to bfloat16, the kernel
/// accumulates in fp32 and returns bfloat16. Master weights, optimizer state, the residual stream, LayerNorms,
/// attention and the loss stay fp32; the MLP's GELU sees the bfloat16 activation, as under autocast. Attention
/// stays fp32 because libtorch's CPU attention kernel ran slower in bf16 than in fp32 (docs/performance.md#why-the-code-is-as-it-is).</summary>
public enum MatmulPrecision { Fp32, Bf16 }

/// <summary>The words for <see cref="MatmulPrecision"/> on command lines, in notebook parameters and in runs.csv.</summary>
public static class MatmulPrecisions
{
    public static string Name(this MatmulPrecision m) => m.ToString().ToLowerInvariant();

    public static (string Word, MatmulPrecision Value)[] Choices { get; } =
        Enum.GetValues<MatmulPrecision>().Select(m => (m.Name(), m)).ToArray();
}

/// <summary>
/// The paper's decoder-only Transformer (docs/science/model-and-training.md#model). Defaults are the paper's where it states them;
/// an experiment is a config diff: <c>config with { QkLayerNorm = false }</c>.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>The vocabulary size the model is built with. The trainer sets it from the tokenizer that
    /// <see cref="Training.TrainConfig.Vocab"/> names, so it is a consequence of the config, not part of it: it is
    /// neither stored nor hashed into the run id (a run's stored config re-derives its id).</summary>
    [JsonIgnore]
    public int Vocab { get; init; } = 256;
    public int Width { get; init; } = 64;
    public int Depth { get; init; } = 2;
    public int Heads { get; init; } = 2;
    /// <summary>Width = Heads × HeadDim, as in the paper.</summary>
    [JsonIgnore]
    public int HeadDim => Width / Heads;
    public int SeqLen { get; init; } = 64;
    public int MlpRatio { get; init; } = 4;
    public GeluKind Gelu { get; init; } = GeluKind.Tanh;

    /// <summary>What sets a run's rounding beyond its maths and the machine: the matmul precision. A results folder holds
    /// runs of one kind, so an analysis never pools runs that differ by it. (The GEMM library and the fused kernels
    /// change only float32 rounding, as another CPU would: they are the process's, Gemm.GemmBackends and Fused.Kernels.)</summary>
    [JsonIgnore]
    public string Numerics => Matmul.Name();
    /// <summary>LayerNorm on queries and keys, per head, one gain vector of HeadDim shared across heads.</summary>
    public bool QkLayerNorm { get; init; } = true;
    public double LnEps { get; init; } = 1e-6;
    public double RopeBase { get; init; } = 10_000;
    public MuParam MuParam { get; init; } = MuParam.Off;
    /// <summary>Width of the μParam base model (the smallest width of the ladder; 256 in the paper).</summary>
    public int MuParamBaseWidth { get; init; } = 256;
    /// <summary>Whether μParam treats the untied head as a linear layer (its LR scaled by base/fan_in).
    /// The paper does not say; true follows "every linear layer".</summary>
    public bool MuParamScaleHead { get; init; } = true;

    /// <summary>The head shares the input embedding's matrix (a tied head).</summary>
    public bool TieHead { get; init; }
    public FinalLnGain FinalLnGain { get; init; } = FinalLnGain.Learned;
    /// <summary>Logit soft-capping y ← C·tanh(y/C) (Gemma 2; 30 in the output-logit study); 0 is off.</summary>
    public double LogitSoftcap { get; init; }
    /// <summary>Attention-logit soft-capping z ← c·tanh(z/c) on every attention logit (<see cref="AttentionSoftCap"/>;
    /// Gemma 2 uses 50); 0 is off.</summary>
    public double AttentionSoftcap { get; init; }

    /// <summary>GLM-130B's embedding-gradient shrink α: x ← α·x + (1 − α)·stopgrad(x) on the embedding output, so the
    /// forward pass is unchanged and the embedding's gradient is multiplied by α (1: off; GLM-130B uses 0.1).</summary>
    public double EmbedGradShrink { get; init; } = 1;
    public Precision Precision { get; init; } = Precision.Fp32;
    public MatmulPrecision Matmul { get; init; } = MatmulPrecision.Fp32;

    /// <summary>Parameters excluding the embedding and the head: 12·L·d² from the attention (4d²) and MLP (8d²),
    /// plus the LayerNorm gains (2d per block, 2·d_h for qk-LN, d for a learned final LN gain).</summary>
    [JsonIgnore]
    public long NonEmbeddingParams =>
        (long)Depth * ((4L + 2L * MlpRatio) * Width * Width + 2L * Width + (QkLayerNorm ? 2L * HeadDim : 0))
        + (FinalLnGain == FinalLnGain.Learned ? Width : 0);

    /// <summary>Attention logit scale: 1/√d_h, or 1/d_h under full μParam.</summary>
    [JsonIgnore]
    public double AttentionScale => MuParam == MuParam.Full ? 1.0 / HeadDim : 1.0 / Math.Sqrt(HeadDim);
}
