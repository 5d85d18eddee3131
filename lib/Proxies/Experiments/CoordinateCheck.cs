using Proxies.Model;
using Proxies.Probes;
using Proxies.Training;

namespace Proxies.Experiments;

/// <summary>
/// microsoft/mup's coordinate check, the test that a parametrisation is implemented right: train each width a few
/// steps from the same seed on the same batches, at one constant LR, and record mean |x| of every activation after each
/// step (<see cref="ForwardProbe"/>). Under μParam the curves against width are flat; under the standard
/// parametrisation, Adam's updates (each coordinate moves by about η whatever the width) make the layers' outputs grow
/// with the width after the first steps (×12–55 for the blocks over widths 32–256 here: CoordinateCheckTests).
/// </summary>
public static class CoordinateCheck
{
    /// <summary>mean |x| of one activation (embed, attn_out/b, mlp_out/b, block_out/b, logits) at one width after
    /// <paramref name="Step"/> updates, averaged over the seeds.</summary>
    public sealed record Point(MuParam Parametrisation, int Width, int Step, string Activation, double MeanAbs);

    /// <param name="widths">the ladder; its smallest width is μParam's base width</param>
    /// <param name="seeds">initialisations (and batch orders) to average over: one seed's curve is noisy at small widths</param>
    public static IReadOnlyList<Point> Run(MuParam parametrisation, IReadOnlyList<int> widths, int steps = 10, double lr = 1e-2,
        int depth = 2, int headDim = 32, int seeds = 2) =>
        widths.SelectMany(width => Enumerable.Range(0, seeds).SelectMany(seed => RunOne(parametrisation, widths.Min(), width, steps, lr, depth, headDim, seed)))
            .GroupBy(p => (p.Width, p.Step, p.Activation))
            .Select(g => g.First() with { MeanAbs = g.Average(p => p.MeanAbs) })
            .ToList();

    static IEnumerable<Point> RunOne(MuParam parametrisation, int baseWidth, int width, int steps, double lr, int depth, int headDim, int seed)
    {
        {
            var config = new TrainConfig
            {
                Model = new ModelConfig
                {
                    Width = width, Depth = depth, Heads = width / headDim, SeqLen = 32,
                    MuParam = parametrisation, MuParamBaseWidth = baseWidth,
                },
                BatchSize = 8, Steps = steps, WarmupSteps = 0, Lr = lr, MinLr = lr,   // a constant LR
                WeightDecay = 0, ProbeEvery = 1, EvalBatches = 1, Seed = seed,
                Experiment = "coordinate-check", Variant = parametrisation.ToString().ToLowerInvariant(),
            };
            var (_, curve) = Trainer.Run(config);
            var activations = curve.Columns.Where(c => c.StartsWith(ForwardProbe.MeanAbs(""), StringComparison.Ordinal)).ToList();
            var stepValues = curve.Values("step").ToList();
            foreach (var column in activations)
                foreach (var (value, row) in curve.Values(column).Select((v, i) => (v, i)))
                    yield return new Point(parametrisation, width, (int)stepValues[row], column[ForwardProbe.MeanAbs("").Length..], value);
        }
    }

    /// <summary>For each activation at the last step: mean |x| at the widest width over mean |x| at the narrowest.</summary>
    public static IReadOnlyDictionary<string, double> GrowthAtLastStep(IReadOnlyList<Point> points)
    {
        int last = points.Max(p => p.Step), narrow = points.Min(p => p.Width), wide = points.Max(p => p.Width);
        return points.Where(p => p.Step == last && p.Width == narrow).ToDictionary(p => p.Activation,
            p => points.Single(q => q.Step == last && q.Width == wide && q.Activation == p.Activation).MeanAbs / p.MeanAbs);
    }
}
