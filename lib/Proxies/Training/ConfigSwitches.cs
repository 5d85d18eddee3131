using Proxies.Model;
using Proxies.Optimization;
using static Proxies.Training.ConfigSwitch;

namespace Proxies.Training;

/// <summary>
/// Every switch of a run, in help order, each declared once (<see cref="ConfigSwitch"/>). Defaults are
/// <see cref="TrainConfig"/>'s. A new switch is a field of the config record plus one line here.
/// </summary>
public static class ConfigSwitches
{
    static string? AtLeast(int v, int min) => v >= min ? null : $"must be at least {min}";
    static string? Between(int v, int min, int max) => v >= min && v <= max ? null : $"must be an integer from {min} to {max}";
    static string? Positive(double v, string example) => v > 0 ? null : $"must be a positive finite number{example}";
    static string? NotNegative(double v, string example) => v >= 0 ? null : $"must be a finite number ≥ 0{example}";
    static string? Fraction(double v) => v >= 0 && v < 1 ? null : "must be in [0, 1)";

    public static IReadOnlyList<ConfigSwitch> All { get; } =
    [
        // The model.
        Int("--width", "width", "model width d", c => c.Model.Width, (c, v) => c with { Model = c.Model with { Width = v } },
            (_, v) => Between(v, 2, 65536)),
        Int("--depth", "depth", "blocks L", c => c.Model.Depth, (c, v) => c with { Model = c.Model with { Depth = v } },
            (_, v) => Between(v, 1, 1024)),
        Int("--heads", "heads", "attention heads (width = heads × head dim)", c => c.Model.Heads, (c, v) => c with { Model = c.Model with { Heads = v } },
            (c, v) => v < 1 ? "must be at least 1" : c.Model.Width % v != 0 ? $"must divide --width {c.Model.Width} (width = heads × head dim)" : null),
        Int("--head-dim", "head_dim", "head dim d_h (sets --heads to width / d_h)", c => c.Model.Heads >= 1 ? c.Model.HeadDim : 0,
            (c, v) => v >= 1 && c.Model.Width % v == 0 ? c with { Model = c.Model with { Heads = c.Model.Width / v } }
                : throw new FormatException($"must be at least 1 and divide --width {c.Model.Width}"),
            (c, v) => c.Model.Heads >= 1 && c.Model.Width % c.Model.Heads == 0 && v % 2 != 0 ? "must be even (RoPE rotates channel pairs)" : null),
        Int("--seq-len", "seq_len", "sequence length T", c => c.Model.SeqLen, (c, v) => c with { Model = c.Model with { SeqLen = v } },
            (_, v) => Between(v, 2, 1 << 16)),
        Int("--batch-size", "batch_size", "sequences per step B", c => c.BatchSize, (c, v) => c with { BatchSize = v }, (_, v) => AtLeast(v, 1)),
        OnOff("--qk-layernorm", "qk_layernorm", "LayerNorm on queries and keys", c => c.Model.QkLayerNorm, (c, v) => c with { Model = c.Model with { QkLayerNorm = v } }),
        Enum("--mu-param", "mu_param", "μParam variant", c => c.Model.MuParam, (c, v) => c with { Model = c.Model with { MuParam = v } }),
        Int("--mu-base-width", "mu_base_width", "μParam's base width (the ladder's smallest)", c => c.Model.MuParamBaseWidth,
            (c, v) => c with { Model = c.Model with { MuParamBaseWidth = v } }, (_, v) => AtLeast(v, 1)),
        Choice("--mu-head", "mu_head", "μParam scales the head's LR like a linear layer, or keeps the base LR", c => c.Model.MuParamScaleHead,
            (c, v) => c with { Model = c.Model with { MuParamScaleHead = v } }, ("scaled", true), ("base", false)),
        OnOff("--tie-head", "tie_head", "the head shares the input embedding", c => c.Model.TieHead, (c, v) => c with { Model = c.Model with { TieHead = v } }),
        Enum("--final-ln-gain", "final_ln_gain", "the final LayerNorm's gain: learned, or fixed at 1", c => c.Model.FinalLnGain,
            (c, v) => c with { Model = c.Model with { FinalLnGain = v } }),
        Number("--logit-softcap", "logit_softcap", "y ← C·tanh(y/C) on the output logits (0: off)", c => c.Model.LogitSoftcap,
            (c, v) => c with { Model = c.Model with { LogitSoftcap = v } }, (_, v) => v >= 0 ? null : "must be 0 (off) or a positive cap such as 30"),
        Number("--attention-softcap", "attention_softcap", "z ← c·tanh(z/c) on every attention logit (0: off; Gemma 2: 50)", c => c.Model.AttentionSoftcap,
            (c, v) => c with { Model = c.Model with { AttentionSoftcap = v } },
            (_, v) => v >= 0 ? null : "must be 0 (off) or a positive cap such as 50"),
        Number("--embed-grad-shrink", "embed_grad_shrink", "α: x ← α·x + (1−α)·stopgrad(x) on the embedding output, the embedding's gradient × α (1: off; GLM-130B: 0.1)",
            c => c.Model.EmbedGradShrink, (c, v) => c with { Model = c.Model with { EmbedGradShrink = v } },
            (_, v) => v > 0 && v <= 1 ? null : "must be in (0, 1]: 1 is off, GLM-130B uses 0.1"),
        Enum("--precision", "precision", "bf16: head and logits rounded to bfloat16", c => c.Model.Precision,
            (c, v) => c with { Model = c.Model with { Precision = v } }) with
        {
            Check = c => c.Model.Precision == Precision.Bf16 && c.Model.Matmul == MatmulPrecision.Bf16
                ? "has no effect with --matmul bf16, whose head and logits are already bfloat16; drop --precision bf16" : null,
        },
        Enum("--gelu", "gelu", "GELU: tanh (the paper's code base) or exact (erf)", c => c.Model.Gelu, (c, v) => c with { Model = c.Model with { Gelu = v } }),
        Choice("--matmul", "matmul", "bf16: bf16 autocast of every linear layer", c => c.Model.Matmul, (c, v) => c with { Model = c.Model with { Matmul = v } },
            MatmulPrecisions.Choices),
        // The optimizer and schedule.
        Int("--steps", "steps", "training steps", c => c.Steps, (c, v) => c with { Steps = v }, (_, v) => AtLeast(v, 1)),
        Int("--warmup-steps", "warmup_steps", "linear warm-up steps (10% of --steps)", c => c.WarmupSteps, (c, v) => c with { WarmupSteps = v },
            (c, v) => v >= 0 && v <= c.Steps ? null : $"must be from 0 to --steps ({c.Steps})"),
        Number("--lr", "lr", "peak learning rate η", c => c.Lr, (c, v) => c with { Lr = v }, (_, v) => Positive(v, ", e.g. 1e-2")),
        Number("--min-lr", "min_lr", "the cosine's absolute floor", c => c.MinLr, (c, v) => c with { MinLr = v },
            (c, v) => v >= 0 && v <= c.Lr ? null : $"must be from 0 to --lr ({Format(c.Lr)})"),
        Enum("--optimizer", "optimizer", "AdamW, plain SGD (a control), AdamW with Adam-atan2's ε-free update a·atan2(m̂, b·√v̂), or Muon (orthogonalised momentum) for the hidden matrices with AdamW for the rest",
            c => c.Optimizer, (c, v) => c with { Optimizer = v }),
        Number("--eps", "eps", "Adam's ε", c => c.Eps, (c, v) => c with { Eps = v },
            (_, v) => v > 0 && v <= 1 ? null : "must be a positive finite number at most 1 (the paper uses 1e-15 to 1e-6)"),
        Number("--beta1", "beta1", "Adam's β1", c => c.Beta1, (c, v) => c with { Beta1 = v }, (_, v) => Fraction(v)),
        Number("--beta2", "beta2", "Adam's β2", c => c.Beta2, (c, v) => c with { Beta2 = v }, (_, v) => Fraction(v)),
        Number("--weight-decay", "weight_decay", "weight decay λ", c => c.WeightDecay, (c, v) => c with { WeightDecay = v }, (_, v) => NotNegative(v, "")),
        Enum("--wd-mode", "wd_mode", "independent: θ −= s_t·λθ; coupled: θ −= s_t·η·λθ", c => c.WdMode, (c, v) => c with { WdMode = v }),
        Number("--clip", "clip", "global gradient-norm clip", c => c.ClipNorm, (c, v) => c with { ClipNorm = v },
            (_, v) => Positive(v, " (the paper clips at 1)")),
        // The loss and the output-logit fixes.
        Number("--z-loss", "z_loss", "z-loss coefficient", c => c.ZLoss, (c, v) => c with { ZLoss = v }, (_, v) => NotNegative(v, " (the paper uses 1e-4)")),
        OnOff("--mu-centering", "mu_centering", "subtract the mean head row after every step", c => c.MuCentering, (c, v) => c with { MuCentering = v })
            with { Check = c => c.MuCentering && c.Model.TieHead ? "needs an untied head (--tie-head off): centering a tied head would shift the input embeddings too" : null },
        Number("--mu-loss", "mu_loss", "μ-loss coefficient (+coef·‖μ‖²)", c => c.MuLoss, (c, v) => c with { MuLoss = v },
            (_, v) => NotNegative(v, " (the study uses 1e-4)")),
        Number("--update-clip", "update_clip", "update clipping: the update's norm is capped at its mean + K standard deviations over the last 128 steps (0: off; Marin uses 2)",
            c => c.UpdateClip, (c, v) => c with { UpdateClip = v }, (_, v) => v >= 0 ? null : "must be 0 (off) or a number of standard deviations, e.g. 2"),
        Number("--spam-clip", "spam_clip", "SPAM's spike-aware clipping: a gradient coordinate with g² > θ·v (v: Adam's second moment) enters the moments at sign(g)·√(θ·v) (0: off; SPAM uses 5000)",
            c => c.SpikeClip, (c, v) => c with { SpikeClip = v },
            (c, v) => v < 0 ? "must be 0 (off) or a positive threshold θ such as 5000"
                : v > 0 && c.Optimizer is not (OptimizerKind.AdamW or OptimizerKind.AdamAtan2) ? "clips against Adam's second moment: use --optimizer adamw or adamatan2" : null),
        Number("--qk-clip", "qk_clip", "QK-Clip: after each step, a head whose max attention logit on the step's batch exceeds τ has its W_q and W_k rows scaled by √(τ/max) (0: off; Kimi K2 uses 100)",
            c => c.QkClip, (c, v) => c with { QkClip = v },
            (c, v) => v < 0 ? "must be 0 (off) or a positive logit bound τ such as 100"
                : v > 0 && c.Model.QkLayerNorm ? "qk-layernorm normalises q and k, which undoes QK-Clip's scaling of W_q and W_k: add --qk-layernorm off" : null),
        Number("--spike-restart", "spike_restart", "skip-and-restart: a loss above K × its moving average rewinds the run (0: off)",
            c => c.SpikeRestart, (c, v) => c with { SpikeRestart = v }, (_, v) => v == 0 || v > 1 ? null : "must be 0 (off) or a factor above 1, e.g. 1.3"),
        Int("--restart-rewind", "restart_rewind", "skip-and-restart: checkpoint every N steps; a restart goes back N to 2N", c => c.RestartRewind,
            (c, v) => c with { RestartRewind = v }, (_, v) => v >= 1 ? null : "must be at least 1"),
        Int("--restart-skip", "restart_skip", "skip-and-restart: batches skipped after a restart", c => c.RestartSkip,
            (c, v) => c with { RestartSkip = v }, (_, v) => v >= 0 ? null : "must be 0 or more"),
        // Data and measurement.
        OnOff("--ratio-histogram", "ratio_histogram", "also probe the histogram of AdamW's |m̂/(√v̂+ε)| per layer (11 bins)", c => c.RatioHistogram,
            (c, v) => c with { RatioHistogram = v }),
        OnOff("--sign-agreement", "sign_agreement", "also probe the share of gradient coordinates whose sign agrees with the previous step's, per layer",
            c => c.SignAgreement, (c, v) => c with { SignAgreement = v }),
        Int("--seed", "seed", "initialisation and batch order", c => c.Seed, (c, v) => c with { Seed = v }),
        Text("--data", "data", "FILE|FOLDER|GLOB|brown:GENRES",
            "text to train on (the shipped Brown corpus); a folder or glob of .txt/.jsonl/.json shards, optionally .gz, is read as a stream, its validation shards (else its last) held out; brown:abcdefghj: Brown's non-fiction genres",
            c => c.Data, (c, v) => c with { Data = v }, (_, v) => DataProblem(v)),
        Text("--vocab", "vocab", "bytes|words:N|bpe:N|FILE", "tokens", c => c.Vocab, (c, v) => c with { Vocab = v }, (_, v) => Data.Vocabularies.Check(v)),
        Int("--probe-every", "probe_every", "probes every k steps", c => c.ProbeEvery, (c, v) => c with { ProbeEvery = v }, (_, v) => AtLeast(v, 1)),
        Int("--eval-every", "eval_every", "held-out loss every k steps (0: start and end)", c => c.EvalEvery, (c, v) => c with { EvalEvery = v },
            (_, v) => v >= 0 ? null : "must be 0 (start and end only) or a positive step count"),
        Int("--eval-batches", "eval_batches", "held-out batches per evaluation", c => c.EvalBatches, (c, v) => c with { EvalBatches = v }, (_, v) => AtLeast(v, 1)),
    ];

    public static ConfigSwitch Find(string flag) => All.Single(s => s.Flag == flag);

    /// <summary>Why a --data value cannot be trained on, or null: genres are checked by name; files, folders and globs
    /// must name at least one non-empty corpus file.</summary>
    static string? DataProblem(string v)
    {
        if (Data.BrownGenres.IsSpec(v)) return Data.BrownGenres.Check(v);
        if (File.Exists(v)) return new FileInfo(v).Length == 0 ? "file is empty; give a file with text in it" : null;
        try
        {
            var files = Data.CorpusFiles.Resolve(v);
            return files.Train.Concat(files.HeldOut).All(f => new FileInfo(f).Length == 0) ? "every file there is empty; give files with text in them" : null;
        }
        catch (Data.DataException e) { return e.Message + ", or brown:GENRES"; }
    }
}
