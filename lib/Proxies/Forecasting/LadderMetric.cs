using Proxies.Experiments;
using Proxies.Probes;
using Proxies.Results;
using Proxies.Training;

namespace Proxies.Forecasting;

/// <summary>
/// A quantity a forecast extrapolates across sizes, read from one run (or, for the loss penalty, from one size and seed
/// across LRs). A log-scale metric is fitted as log10 of it against log10 of the parameters, a power law; a linear one as
/// itself. Each metric is named and computed here, once.
/// </summary>
public sealed record LadderMetric(string Name, string Description, bool LogScale)
{
    /// <summary>Where the early logit may be read, as fractions of training: the paper's 2%, and later windows. The
    /// protocol picks one by its backtest on the fit sizes.</summary>
    public static readonly double[] LogitWindows = [0.02, 0.1, 0.2, 0.5, 1.0];

    public static LadderMetric EarlyMaxLogit(double window) => new($"max_logit_{window * 100:0}pct",
        $"block 0's max attention logit up to {window:P0} of training", LogScale: true);

    public static readonly LadderMetric LossPenalty = new("loss_penalty",
        "final held-out loss minus the best LR's at the same size and seed (nats)", LogScale: false);

    public static readonly LadderMetric HeadMuDrift = new("head_mu_drift",
        "growth of the head's mean row ‖μ‖ over training, per 1,000 steps", LogScale: false);

    /// <summary>Layers whose gradient RMS is forecast: the embedding, the head, and block 0's and the last block's
    /// matrices (the names every depth has).</summary>
    public static readonly string[] Layers =
        ["embed", "head", .. new[] { "wqkv", "wo", "w1", "w2" }.SelectMany(m => new[] { $"blocks.0.{m}", $"blocks.last.{m}" })];

    public static LadderMetric GradRms(string layer) => new($"grad_rms/{layer}",
        $"RMS of {layer}'s gradient, mean over the last {AdamEpsilon.LateFraction:P0} of training", LogScale: true);

    /// <summary>Every metric a ladder run gives (the penalty is added per size and seed by <see cref="LadderTable"/>).</summary>
    public static IEnumerable<LadderMetric> PerRun() =>
        LogitWindows.Select(EarlyMaxLogit).Append(HeadMuDrift).Concat(Layers.Select(GradRms));

    /// <summary>This metric of one run; NaN where the run has no such value (a diverged run's late gradients, say).</summary>
    public double Read(ResultsStore store, RunResult run, Curve curve)
    {
        if (Name == HeadMuDrift.Name)
            return (run.FinalHeadMuNorm - run.InitialHeadMuNorm) / run.Config.Steps * 1000;
        if (Name.StartsWith("grad_rms/"))
        {
            string layer = Name["grad_rms/".Length..].Replace("blocks.last.", $"blocks.{run.Config.Model.Depth - 1}.");
            return AdamEpsilon.LateMean(curve, run.Config.Steps, LayerStatistics.GradRms(layer));
        }
        double window = LogitWindows.First(w => EarlyMaxLogit(w).Name == Name);
        return LogitPrediction.MaxLogitUntil(curve, (int)Math.Floor(window * run.Config.Steps));
    }

    /// <summary>The value the fits use: log10 for a log-scale metric (NaN for a value ≤ 0), the value itself otherwise.</summary>
    public double ToFitScale(double value) => !LogScale ? value : value > 0 ? Math.Log10(value) : double.NaN;

    public double FromFitScale(double y) => LogScale ? Math.Pow(10, y) : y;
}
