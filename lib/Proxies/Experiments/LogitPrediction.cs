using Proxies.Model;
using Proxies.Results;
using Proxies.Runtime;
using Proxies.Training;

namespace Proxies.Experiments;

/// <summary>One LR's prediction for the held-out size: block 0's early max attention logit from the fit, and observed.</summary>
public sealed record LogitPredictionRow(int Width, int Depth, long Params, double Lr, int MeasuredUntilStep, double PredictedMaxLogit, double ObservedMaxLogit,
    bool PredictedAbove, bool ObservedAbove, double FinalEvalLoss, double MaxLogitOverRun, bool Diverged);

/// <summary>
/// The paper's Fig 9: predict attention-logit growth in a model before training it. Without qk-layernorm, train a ladder
/// of small sizes at every LR; read block 0's max attention logit early in training; per LR, fit log10 of it as a
/// quadratic in log10 of the non-embedding parameters (<see cref="QuadraticFit"/>); extrapolate to a larger size the
/// fit did not use; train that size, and compare. The paper reads the logit at 2% of 10⁵ steps. At 300 steps, 2% is
/// step 6, a fifth of the way up the warm-up, where no run has grown yet; this workbook reads the largest value up to
/// 20% of training instead (<see cref="MeasureFraction"/>), by which point every quick run that ever passed 10⁴ had.
/// </summary>
public static class LogitPrediction
{
    /// <summary>Where the early logit is read: the max over probes up to this fraction of training.</summary>
    public const double MeasureFraction = 0.2;

    /// <summary>The paper's threshold: every run whose max attention logit passed 10⁴ diverged.</summary>
    public const double Threshold = 1e4;

    /// <summary>The sizes the fit uses (head dim fixed, as the ladder), and the larger one it predicts.</summary>
    public static (IReadOnlyList<(int Width, int Depth, int Heads)> Fit, (int Width, int Depth, int Heads) HeldOut) Sizes(Profile profile) => profile switch
    {
        Profile.Smoke => ([(32, 1, 1), (32, 2, 1), (64, 2, 2)], (64, 3, 2)),
        Profile.Quick => ([(32, 1, 1), (32, 2, 1), (64, 2, 2), (64, 3, 2), (96, 3, 3)], (128, 4, 4)),
        _ => ([(256, 4, 4), (384, 6, 6), (512, 8, 8), (640, 10, 10), (768, 12, 12)], (1024, 16, 16)),
    };

    /// <summary>Every fit size and the held-out size × the ladder's LRs, qk-layernorm off, the ladder's recipe otherwise.</summary>
    public static IReadOnlyList<TrainConfig> Runs(Profile profile)
    {
        var ladder = Ladder.For(profile);
        var (fit, heldOut) = Sizes(profile);
        return fit.Append(heldOut).SelectMany(size => ladder.LearningRates.Select(lr =>
        {
            var c = ladder.Base(size, lr);
            return Variant.QkLnOff.Of(c);
        })).ToList();
    }

    /// <summary>Block 0's largest max attention logit at the probes up to <see cref="MeasureFraction"/> of the run.</summary>
    public static double EarlyMaxLogit(ResultsStore store, RunResult run) =>
        MaxLogitUntil(CurveFile.Read(store.CurvePath(run.RunId)), MeasuredUntil(run.Config));

    /// <summary>The largest value of block 0's max attention logit at the probes up to step <paramref name="until"/>.</summary>
    public static double MaxLogitUntil(Probes.Curve curve, int until) =>
        curve.FinitePoints(ForwardProbe.BlockMaxLogit(0)).Where(p => p.Step <= until).Select(p => p.Value).DefaultIfEmpty(double.NaN).Max();

    public static int MeasuredUntil(TrainConfig config) => (int)Math.Floor(MeasureFraction * config.Steps);

    /// <summary>Per LR, the quadratic fit of log10 early max logit against log10 parameters over the fit sizes.</summary>
    public static IReadOnlyDictionary<double, QuadraticFit> Fits(ResultsStore store, IReadOnlyList<RunResult> runs, Profile profile)
    {
        var fitWidthDepth = Sizes(profile).Fit.Select(s => (s.Width, s.Depth)).ToHashSet();
        return runs.Where(r => fitWidthDepth.Contains((r.Config.Model.Width, r.Config.Model.Depth)))
            .GroupBy(r => r.Config.Lr)
            .ToDictionary(g => g.Key, g => QuadraticFit.LeastSquares(
                g.Select(r => (Math.Log10(r.Params), Math.Log10(EarlyMaxLogit(store, r)))).ToList()));
    }

    /// <summary>The held-out size's prediction against what it did, one row per LR.</summary>
    public static IReadOnlyList<LogitPredictionRow> Predict(ResultsStore store, IReadOnlyList<RunResult> runs, Profile profile)
    {
        var fits = Fits(store, runs, profile);
        var heldOut = Sizes(profile).HeldOut;
        return runs.Where(r => r.Config.Model.Width == heldOut.Width && r.Config.Model.Depth == heldOut.Depth)
            .OrderBy(r => r.Config.Lr)
            .Select(r =>
            {
                double predicted = Math.Pow(10, fits[r.Config.Lr].Evaluate(Math.Log10(r.Params)));
                double observed = EarlyMaxLogit(store, r);
                return new LogitPredictionRow(heldOut.Width, heldOut.Depth, r.Params, r.Config.Lr, MeasuredUntil(r.Config), predicted, observed,
                    predicted > Threshold, observed > Threshold, r.FinalEvalLoss, r.MaxAttnLogitBlock0, r.Diverged);
            }).ToList();
    }

    /// <summary>The smallest LR whose (predicted or observed) early logit passes the threshold; NaN when none does.</summary>
    public static double FirstLrAbove(IEnumerable<LogitPredictionRow> rows, bool predicted) =>
        rows.Where(r => predicted ? r.PredictedAbove : r.ObservedAbove).Select(r => r.Lr).DefaultIfEmpty(double.NaN).Min();

    /// <summary>Writes the table as prediction.csv in the experiment's folder (atomically), and returns its path.</summary>
    public static string Write(ResultsStore store, IReadOnlyList<LogitPredictionRow> rows)
    {
        string[] header = ["size", "width", "depth", "params", "lr", "predicted_max_logit", "observed_max_logit",
            "predicted_above_threshold", "observed_above_threshold", "threshold", "measured_until_step", "final_eval_loss",
            "max_logit_over_run", "diverged"];
        var lines = rows.Select(r => Csv.Line([$"d{r.Width}x{r.Depth}", r.Width.ToString(), r.Depth.ToString(), r.Params.ToString(),
            Csv.Format(r.Lr), Csv.Format(r.PredictedMaxLogit), Csv.Format(r.ObservedMaxLogit), Flag(r.PredictedAbove), Flag(r.ObservedAbove),
            Csv.Format(Threshold), r.MeasuredUntilStep.ToString(), Csv.Format(r.FinalEvalLoss),
            Csv.Format(r.MaxLogitOverRun), Flag(r.Diverged)]));
        var path = Path.Combine(store.Folder, "prediction.csv");
        AtomicFile.WriteAllText(path, string.Join("\n", lines.Prepend(Csv.Line(header))) + "\n");
        return path;
    }

    static string Flag(bool b) => b ? "true" : "false";
}
