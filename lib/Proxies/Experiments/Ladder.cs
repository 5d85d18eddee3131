using Proxies.Model;
using Proxies.Training;

namespace Proxies.Experiments;

/// <summary>
/// The shape of every run of a profile: a ladder of model sizes (width, depth and heads grow together with the
/// head dimension fixed, as in the paper), sequence, batch, steps and the LR grid.
/// </summary>
public sealed record Ladder(IReadOnlyList<(int Width, int Depth, int Heads)> Sizes, int SeqLen, int BatchSize, int Steps,
    int WarmupSteps, IReadOnlyList<double> LearningRates, int ProbeEvery)
{
    /// <summary>The seeds behind every headline comparison (notebooks 03–07), the same in every arm so that arms are
    /// compared seed by seed. Two at smoke, enough to exercise the paired noise in CI.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [0, 1, 2];

    /// <summary>The paper's 7-point LR grid (docs/science/model-and-training.md#lr-sensitivity).</summary>
    public static readonly double[] PaperLrs = { 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1 };

    public static Ladder For(Profile profile) => profile switch
    {
        // Seconds per run on 2 cores: enough to exercise every path and draw every figure.
        Profile.Smoke => new(new[] { (32, 1, 1), (64, 2, 2) }, SeqLen: 32, BatchSize: 8, Steps: 40, WarmupSteps: 4,
            new[] { 1e-2, 3e-1 }, ProbeEvery: 2) { Seeds = [0, 1] },
        // Head dim 32, seq 64, batch 32, 300 steps: attention-logit growth shows in 150–300 steps (docs/science/attention-logit-growth.md).
        Profile.Quick => new(new[] { (32, 1, 1), (64, 2, 2), (128, 4, 4) }, SeqLen: 64, BatchSize: 32, Steps: 300, WarmupSteps: 30,
            PaperLrs, ProbeEvery: 5),
        // The paper's recipe (docs/science/model-and-training.md): head dim 64, seq 512, batch 256, 1e5 steps, 5e3 warm-up, at the first
        // rungs of a joint width/depth ladder. For a GPU.
        _ => new(new[] { (256, 4, 4), (512, 8, 8), (768, 12, 12), (1024, 16, 16) }, SeqLen: 512, BatchSize: 256, Steps: 100_000,
            WarmupSteps: 5_000, PaperLrs, ProbeEvery: 100),
    };

    /// <summary>The paper's default run at one size and LR: qk-LN, z-loss 1e-4, independent decay 1e-4, ε 1e-8.</summary>
    public TrainConfig Base((int Width, int Depth, int Heads) size, double lr) => new()
    {
        Model = new ModelConfig { Width = size.Width, Depth = size.Depth, Heads = size.Heads, SeqLen = SeqLen },
        BatchSize = BatchSize, Steps = Steps, WarmupSteps = WarmupSteps, Lr = lr, ProbeEvery = ProbeEvery,
    };

    /// <summary>Every size × LR, default config.</summary>
    public IEnumerable<TrainConfig> Grid() => Sizes.SelectMany(size => LearningRates.Select(lr => Base(size, lr)));

    /// <summary>Every size × LR × <see cref="Seeds"/>, default config.</summary>
    public IEnumerable<TrainConfig> SeededGrid() => Grid().SelectMany(c => Seeds.Select(seed => c with { Seed = seed }));
}
