using Proxies.Training;

namespace Proxies.Experiments;

/// <summary>An arm of an experiment: its label and the change it makes to a run's config, declared once. Grids apply
/// it (<see cref="Of"/>); analyses, figures, claims and notebooks find its runs by <see cref="Label"/>.</summary>
public sealed record Variant(string Label, Func<TrainConfig, TrainConfig> Change)
{
    /// <summary><paramref name="config"/> changed by this variant and labelled with it.</summary>
    public TrainConfig Of(TrainConfig config) => Change(config) with { Variant = Label };

    public override string ToString() => Label;

    /// <summary>The paper's default recipe, qk-layernorm on.</summary>
    public static readonly Variant QkLnOn = new("qk-ln on", c => c with { Model = c.Model with { QkLayerNorm = true } });

    /// <summary>The default recipe without qk-layernorm: where attention logits grow.</summary>
    public static readonly Variant QkLnOff = new("qk-ln off", c => c with { Model = c.Model with { QkLayerNorm = false } });

    /// <summary>The paper's default recipe, unchanged, where an experiment has no other arm.</summary>
    public static readonly Variant Default = new("default", c => c);
}
