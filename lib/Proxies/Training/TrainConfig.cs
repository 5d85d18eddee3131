using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json;
using System.Text;
using Proxies.Model;
using Proxies.Optimization;

namespace Proxies.Training;

/// <summary>
/// Everything that defines one training run. Defaults are the paper's optimizer (docs/science/model-and-training.md) at a size that
/// trains in seconds on a laptop CPU. A variant is a config diff: <c>config with { ZLoss = 0 }</c>.
/// </summary>
public sealed record TrainConfig
{
    public ModelConfig Model { get; init; } = new();
    public int BatchSize { get; init; } = 32;
    public int Steps { get; init; } = 300;
    public int WarmupSteps { get; init; } = 30;
    public double Lr { get; init; } = 1e-2;
    public double MinLr { get; init; } = 1e-5;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.95;
    public double Eps { get; init; } = 1e-8;
    public double WeightDecay { get; init; } = 1e-4;
    public WeightDecayMode WdMode { get; init; } = WeightDecayMode.Independent;
    public double ZLoss { get; init; } = 1e-4;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.AdamW;
    /// <summary>After every optimizer step, subtract the mean head row μ from every head row (output-embedding centering).</summary>
    public bool MuCentering { get; init; }
    /// <summary>μ-loss coefficient: + coef·‖μ‖² (0 is off; the study uses 1e-4).</summary>
    public double MuLoss { get; init; }
    public double ClipNorm { get; init; } = 1.0;
    /// <summary>Update clipping (<see cref="Hooks.UpdateClipping"/>): the applied update's global norm is capped at its
    /// mean + this many standard deviations over a trailing window; 0 is off.</summary>
    public double UpdateClip { get; init; }
    /// <summary>SPAM's spike-aware clipping θ (<see cref="AdamW.SpikeClip"/>): a gradient coordinate with g² > θ·v enters
    /// Adam's moments at sign(g)·√(θ·v); 0 is off.</summary>
    public double SpikeClip { get; init; }
    /// <summary>QK-Clip (<see cref="Hooks.QkClip"/>): the bound τ on each head's max attention logit; 0 is off.</summary>
    public double QkClip { get; init; }
    /// <summary>Skip-and-restart (<see cref="Training.SpikeRestart"/>): a training loss above this factor times its moving
    /// average rewinds the run; 0 is off.</summary>
    public double SpikeRestart { get; init; }
    /// <summary>How far back a restart goes: checkpoints are taken every this many steps.</summary>
    public int RestartRewind { get; init; } = 20;
    /// <summary>Batches skipped after a restart.</summary>
    public int RestartSkip { get; init; } = 40;
    public int Seed { get; init; }
    /// <summary>Text file to train on; null means the shipped Brown corpus.</summary>
    public string? Data { get; init; }
    /// <summary>Tokens: bytes (vocabulary 256), or see <see cref="Data.Vocabularies"/>.</summary>
    public string Vocab { get; init; } = "bytes";
    /// <summary>Probes (per-layer RMS, attention and output logits) every k steps; the loss is read then too.</summary>
    public int ProbeEvery { get; init; } = 1;
    /// <summary>Also probe the histogram of AdamW's |m̂/(√v̂+ε)| per parameter group (11 values per group and probe).</summary>
    public bool RatioHistogram { get; init; }
    /// <summary>Also probe the share of each group's gradient signs that agree with the previous step's (Hooks/SignAgreement.cs).</summary>
    public bool SignAgreement { get; init; }
    /// <summary>Held-out loss every k steps (0: only at the start and the end).</summary>
    public int EvalEvery { get; init; }
    public int EvalBatches { get; init; } = 8;
    /// <summary>Name of the experiment the run belongs to (not part of the run's identity).</summary>
    public string Experiment { get; init; } = "train";
    /// <summary>The experiment's label for this run's variant, e.g. "qk-ln off" (not part of the run's identity).</summary>
    public string Variant { get; init; } = "";

    /// <summary>A stable id from every field that changes the run's numbers (not the experiment's or variant's name).
    /// Fields at their default value are left out of the hash, so adding a new switch to the workbook (at a default
    /// that reproduces the old behaviour) keeps every existing run's id, and committed results stay resumable.</summary>
    [JsonIgnore]
    public string RunId
    {
        get
        {
            var identity = JsonSerializer.SerializeToNode(this with { Experiment = "", Variant = "" }, JsonOptions)!.AsObject();
            WithoutDefaults(identity, Defaults.Value);
            return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToJsonString())))[..12].ToLowerInvariant();
        }
    }

    static readonly Lazy<JsonObject> Defaults = new(() => JsonSerializer.SerializeToNode(new TrainConfig(), JsonOptions)!.AsObject());

    static void WithoutDefaults(JsonObject node, JsonObject defaults)
    {
        foreach (var (name, value) in node.ToList())
        {
            var fallback = defaults[name];
            if (value is JsonObject child && fallback is JsonObject childDefaults) WithoutDefaults(child, childDefaults);
            else if (JsonNode.DeepEquals(value, fallback)) node.Remove(name);
        }
    }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = false,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    [JsonIgnore]
    public Schedule Schedule => new(Lr, WarmupSteps, Steps, MinLr);

    /// <summary>The run's cost in FLOP-equivalents: its matrix-multiply FLOPs (<see cref="Model.Flops.PerStep"/> × steps)
    /// plus a fixed 3·10⁸ per layer and step for what does not scale with the products (op dispatch, norms, the
    /// optimizer's per-tensor work): without it a width-32 run's time is under-estimated twofold (docs/performance.md#why-the-code-is-as-it-is).
    /// A sweep orders its runs by it and estimates the time left from it.</summary>
    [JsonIgnore]
    public double Cost => (Proxies.Model.Flops.PerStep(Model, BatchSize) + 3e8 * Model.Depth) * Steps;
}
