using Proxies.Model;
using Proxies.Optimization;
using Proxies.Training;

namespace Proxies.Experiments;

/// <summary>
/// The output-logit-divergence grid (docs/science/output-logit-divergence.md): a word-level vocabulary (the drift needs a large
/// vocabulary), no weight decay and no z-loss in the baseline, qk-layernorm on; each fix is one variant on the
/// same LR grid. On a CPU the final LayerNorm's gain is fixed at 1, where the mechanism reaches the logits at small
/// scale (with a learned gain the model hides it: docs/science/output-logit-divergence.md); the paper profile keeps the paper's learned gain.
/// </summary>
public static class OutputLogitLadder
{
    /// <summary>The fixes compared, as config diffs of the baseline (the study's coefficients).</summary>
    public static readonly (string Variant, Func<TrainConfig, TrainConfig> Apply)[] Fixes =
    {
        ("no fix", c => c),
        ("z-loss", c => c with { ZLoss = 1e-4 }),
        ("weight decay", c => c with { WeightDecay = 1e-4 }),
        ("mu-centering", c => c with { MuCentering = true }),
        ("mu-loss", c => c with { MuLoss = 1e-4 }),
        ("soft-cap", c => c with { Model = c.Model with { LogitSoftcap = 30 } }),
    };

    public static IReadOnlyList<TrainConfig> Grid(Profile profile)
    {
        var (sizes, vocab, seq, batch, steps, lrs, seeds, gain, probe) = profile switch
        {
            Profile.Smoke => (new[] { (32, 1, 1) }, "words:1024", 32, 8, 30, new[] { 1e-2, 1.0 }, new[] { 0 }, FinalLnGain.Fixed, 2),
            Profile.Quick => (new[] { (64, 2, 2) }, "words:8192", 64, 8, 1000, new[] { 1e-2, 1e-1, 1.0 }, new[] { 0, 1, 2 }, FinalLnGain.Fixed, 10),
            // The paper's recipe at the sizes the paper (2.4M: width 256, 3 layers) and the study (16M: width 224,
            // 6 layers, 4 heads) used, with the paper's learned final gain, for a GPU.
            _ => (new[] { (256, 3, 4), (224, 6, 4) }, "words:32768", 512, 256, 100_000, Ladder.PaperLrs, new[] { 0 }, FinalLnGain.Learned, 100),
        };
        TrainConfig Base((int Width, int Depth, int Heads) s, double lr, int seed) => new()
        {
            Model = new ModelConfig { Width = s.Width, Depth = s.Depth, Heads = s.Heads, SeqLen = seq, FinalLnGain = gain },
            Vocab = vocab, BatchSize = batch, Steps = steps, WarmupSteps = steps / 10, Lr = lr, Seed = seed,
            ZLoss = 0, WeightDecay = 0, ProbeEvery = probe, EvalBatches = 16,
        };
        var baseline = sizes.SelectMany(s => lrs.SelectMany(lr => seeds.Select(seed => Base(s, lr, seed)))).ToList();
        var fixes = baseline.SelectMany(b => Fixes.Select(f => f.Apply(b) with { Variant = f.Variant }));
        // Controls on one seed: SGD cannot move μ; the paper's learned final gain hides the drift at small scale.
        var controls = profile == Profile.Paper ? Enumerable.Empty<TrainConfig>() : baseline.Where(b => b.Seed == 0).SelectMany(b => new[]
        {
            b with { Variant = "sgd", Optimizer = OptimizerKind.Sgd },
            b with { Variant = "learned gain", Model = b.Model with { FinalLnGain = FinalLnGain.Learned } },
        });
        return fixes.Concat(controls).ToList();
    }
}
