using Proxies.Model;
using Proxies.Results;
using Proxies.Training;

namespace Proxies.Experiments;

/// <summary>
/// The paper's §3.4, Figs 11–13, E.13 and C.1: AdamW's ε against the gradient RMS. Δ = m̂/(√v̂ + ε) is about sign(g)
/// while the gradient RMS is well above ε; once it falls to ε the update shrinks toward g/ε. The paper saw the gradient
/// RMS of block 0's first MLP layer fall with size and with LR toward ε = 10⁻⁸, and a smaller ε help the largest model.
/// </summary>
public static class AdamEpsilon
{
    /// <summary>The ε of the sweep at the top LR: the paper's three (10⁻⁶, its default 10⁻⁸, 10⁻¹⁵), and two above the
    /// gradient RMS a CPU-sized model reaches (10⁻⁵, 10⁻⁴), where the paper's mechanism shows at this scale.</summary>
    public static readonly double[] Epsilons = [1e-4, 1e-5, 1e-6, 1e-8, 1e-15];

    /// <summary>Probed every 2 steps: the gradient RMS is averaged over the last <see cref="LateFraction"/> of training.</summary>
    public const int ProbeEvery = 2;

    /// <summary>The paper averages the gradient RMS over the last 500 of 10⁵ steps; at 300 steps, the last 20%.</summary>
    public const double LateFraction = 0.2;

    /// <summary>The ladder at every LR with the paper's ε (Fig 11, C.1), and every size at the top LR with each ε (Figs 12,
    /// 13, E.13); the paper's default recipe otherwise.</summary>
    public static IReadOnlyList<TrainConfig> Runs(Profile profile)
    {
        var ladder = Ladder.For(profile);
        var grid = ladder.Grid().Select(c => c with { Variant = "ε 1e-08", ProbeEvery = ProbeEvery });
        double top = ladder.LearningRates.Max();
        var sweep = ladder.Sizes.SelectMany(size => Epsilons.Select(eps =>
            ladder.Base(size, top) with { Variant = $"ε {eps:0e+00}", Eps = eps, ProbeEvery = ProbeEvery }));
        return grid.Concat(sweep).DistinctBy(c => c.RunId).ToList();
    }

    /// <summary>The mean of a curve column over the probes in the last <see cref="LateFraction"/> of the run.</summary>
    public static double LateMean(ResultsStore store, RunResult run, string column) =>
        LateMean(CurveFile.Read(store.CurvePath(run.RunId)), run.Config.Steps, column);

    /// <summary>The same, on a curve already read, of a run of <paramref name="steps"/> steps.</summary>
    public static double LateMean(Probes.Curve curve, int steps, string column)
    {
        double from = (1 - LateFraction) * steps;
        return curve.FinitePoints(column).Where(p => p.Step >= from).Select(p => p.Value).DefaultIfEmpty(double.NaN).Average();
    }

    /// <summary>Block <paramref name="block"/>'s first MLP layer (its parameter group's name).</summary>
    public static string BlockMlp(int block) => $"blocks.{block}.w1";

    /// <summary>RMS of block <paramref name="block"/>'s output, the residual stream after it (App. C.1).</summary>
    public static string BlockOutputRms(int block) => ForwardProbe.Rms($"block_out/{block}");
}
