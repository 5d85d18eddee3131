using Proxies.Experiments;
using Proxies.Model;
using Proxies.Training;

namespace Proxies.Forecasting;

/// <summary>One rung: width, depth and heads (head dim = width / heads).</summary>
public readonly record struct ModelSize(int Width, int Depth, int Heads)
{
    public string Label => $"d{Width}x{Depth}";
    /// <summary>The size axis of every fit: non-embedding parameters counted in the default recipe (qk-layernorm's gains
    /// included), so that ladders of different recipes share one x and a planned size reads the same on each.</summary>
    public long NonEmbeddingParams => new ModelConfig { Width = Width, Depth = Depth, Heads = Heads }.NonEmbeddingParams;
    public static ModelSize Of(ModelConfig m) => new(m.Width, m.Depth, m.Heads);
    public override string ToString() => Label;
}

/// <summary>
/// The small models a forecast fits, and the larger ones that check it. Every rung keeps the profile's head dim and
/// budget (sequence, batch, steps, warm-up, probes: <see cref="Ladder"/>) and takes the planned run's recipe (qk-layernorm,
/// z-loss, optimizer, ε, decay, …) and LRs. The protocol (<see cref="Backtest"/>) sees only <see cref="Fit"/>;
/// <see cref="HeldOut"/> is trained once and used only to measure the forecast's error, the last of them at least 4× the
/// largest fitted size in non-embedding parameters.
/// </summary>
public sealed record ForecastLadder(Profile Profile, IReadOnlyList<ModelSize> Fit, IReadOnlyList<ModelSize> HeldOut)
{
    public Ladder Budget => Ladder.For(Profile);
    public int HeadDim => Fit[0].Width / Fit[0].Heads;

    public static ForecastLadder For(Profile profile) => profile switch
    {
        // Four fit sizes are the fewest a quadratic's rolling backtest can use (fit 3, predict the 4th).
        Profile.Smoke => new(profile, [new(32, 1, 1), new(32, 2, 1), new(64, 1, 2), new(64, 2, 2)], [new(64, 3, 2)]),
        // 12k to 148k non-embedding parameters; held out: 332k (2.2×) and 788k (5.3×).
        Profile.Quick => new(profile, [new(32, 1, 1), new(32, 2, 1), new(32, 3, 1), new(64, 1, 2), new(64, 2, 2), new(64, 3, 2)],
            [new(96, 3, 3), new(128, 4, 4)]),
        // Head dim 64, 0.2M to 3.1M; held out: 25M (8×).
        _ => new(profile, [new(64, 1, 1), new(64, 2, 1), new(128, 1, 2), new(128, 2, 2), new(192, 2, 3), new(256, 4, 4)], [new(512, 8, 8)]),
    };

    /// <summary>The planned run scaled down to one rung: the rung's size, the profile's budget, the plan's recipe.</summary>
    public TrainConfig ScaleDown(TrainConfig planned, ModelSize size, double lr, int seed)
    {
        var budget = Budget;
        return planned with
        {
            Model = planned.Model with { Width = size.Width, Depth = size.Depth, Heads = size.Heads, SeqLen = budget.SeqLen },
            BatchSize = budget.BatchSize, Steps = budget.Steps, WarmupSteps = budget.WarmupSteps, ProbeEvery = budget.ProbeEvery,
            Lr = lr, Seed = seed, Experiment = "forecast", Variant = size.Label,
        };
    }

    /// <summary>Every rung (fit and held out) × LR × the profile's seeds.</summary>
    public IReadOnlyList<TrainConfig> Configs(TrainConfig planned, IReadOnlyList<double> lrs) =>
        Fit.Concat(HeldOut).SelectMany(size => lrs.SelectMany(lr => Budget.Seeds.Select(seed => ScaleDown(planned, size, lr, seed)))).ToList();

    /// <summary>Why the planned run cannot be forecast from this ladder, or null: the ladder must keep its head dim, and a
    /// forecast extrapolates upward from the fit sizes.</summary>
    public string? Refusal(TrainConfig planned)
    {
        var m = planned.Model;
        if (m.Heads < 1 || m.Width % m.Heads != 0) return $"--heads {m.Heads} must divide --width {m.Width}";
        if (m.HeadDim != HeadDim)
            return $"the planned head dim is {m.HeadDim} (width {m.Width} / {m.Heads} heads), and the {Profile.Name()} ladder keeps it at {HeadDim}, " +
                   $"as the paper's ladder does: attention logits scale with it. Give --heads {(m.Width % HeadDim == 0 ? (m.Width / HeadDim).ToString() : $"width/{HeadDim} (make --width a multiple of {HeadDim})")}";
        long largest = Fit.Max(s => s.NonEmbeddingParams), size = ModelSize.Of(m).NonEmbeddingParams;
        if (size <= largest)
            return $"the planned model has {size:N0} non-embedding parameters, no more than the ladder's largest fit size " +
                   $"({Fit.MaxBy(s => s.NonEmbeddingParams).Label}, {largest:N0}): there is nothing to extrapolate; train it directly with `train`";
        return null;
    }
}
