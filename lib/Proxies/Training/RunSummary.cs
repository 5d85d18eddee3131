using Proxies.Losses;
using Proxies.Model;
using Proxies.Probes;

namespace Proxies.Training;

/// <summary>
/// The named values that summarise a finished run (one row of runs.csv besides its config): facts of the run, and
/// aggregates of its curve named after the curve's own columns, so one quantity has one name everywhere:
/// <c>final:log_z</c> is the last probed <c>log_z</c>, <c>max:attn_logit_max/0</c> the largest <c>attn_logit_max/0</c>
/// over training, <c>initial:eval_loss</c> ℓ0, the held-out loss at initialisation (the LR-sensitivity clip).
/// </summary>
public static class RunSummary
{
    public const string Params = "params";
    public const string VocabSize = "vocab_size";
    public const string EvalLoss = "eval_loss";
    public const string Loss = LossTerms.CrossEntropyName;
    public const string Diverged = "diverged";
    /// <summary>The step at which a non-finite value appeared (-1 if none).</summary>
    public const string DivergedStep = "diverged_step";
    public const string StepsDone = "steps_done";
    public const string WallSeconds = "wall_s";
    public const string MsPerStep = "ms_per_step";
    /// <summary>λ·Σₜ sₜ (coupled: η·λ·Σₜ sₜ) over the steps done: how far weight decay alone shrank the weights, exp(−total).</summary>
    public const string TotalDecay = "total_decay";

    public static string Initial(string name) => "initial:" + name;
    public static string Final(string name) => "final:" + name;
    public static string Max(string name) => "max:" + name;

    /// <summary>Curve quantities kept at their last probed value.</summary>
    static readonly string[] FinalOf =
        { Loss, LossTerms.OutputLogitMeanName, LossTerms.LogZName, LossTerms.LogitStdName,
          OutputStatistics.HeadMuNorm, OutputStatistics.EmbedMuNorm, OutputStatistics.HiddenMeanNorm, OutputStatistics.FinalLnGainRms };

    /// <summary>Curve quantities kept at their largest value over training.</summary>
    static readonly string[] MaxOf = { ForwardProbe.MaxLogit, ForwardProbe.BlockMaxLogit(0) };

    /// <summary>Values that are true (1) or false (0), written as true/false.</summary>
    public static bool IsFlag(string name) => name == Diverged;

    /// <summary>Every summary name, in runs.csv's column order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        new[] { Params, VocabSize, Initial(EvalLoss), Final(Loss), Final(EvalLoss), Diverged, DivergedStep, StepsDone }
            .Concat(MaxOf.Select(Max))
            .Concat(FinalOf.Where(n => n != Loss).Select(Final))
            .Append(Initial(OutputStatistics.HeadMuNorm))
            .Append(TotalDecay).Append(WallSeconds).Append(MsPerStep)
            .ToArray();

    /// <summary>The summary of a run from its curve and what the trainer measured around it.</summary>
    /// <param name="initial">initial:… values measured before the first step.</param>
    /// <param name="finalEvalLoss">NaN when the run diverged before its end.</param>
    public static Dictionary<string, double> Of(TrainConfig config, Curve curve, IReadOnlyDictionary<string, double> initial, double finalEvalLoss,
        int divergedStep, int stepsDone, long parameters, int vocabSize, double wallSeconds, double msPerStep)
    {
        var values = new Dictionary<string, double>
        {
            [Params] = parameters,
            [VocabSize] = vocabSize,
            [Final(EvalLoss)] = finalEvalLoss,
            // The paper's rule: non-finite values, or a final held-out loss above the loss at initialisation.
            [Diverged] = divergedStep >= 0 || !(finalEvalLoss <= initial[Initial(EvalLoss)]) ? 1 : 0,
            [DivergedStep] = divergedStep,
            [StepsDone] = stepsDone,
            [WallSeconds] = wallSeconds,
            [MsPerStep] = msPerStep,
            [TotalDecay] = config.Schedule.TotalDecay(config.WeightDecay, config.WdMode, stepsDone),
        };
        foreach (var (name, value) in initial) values[name] = value;
        foreach (var name in FinalOf) values[Final(name)] = curve.Count > 0 && curve.Has(name) ? curve.Values(name).Last() : double.NaN;
        foreach (var name in MaxOf) values[Max(name)] = MaxTaken(curve, name);
        return values;
    }

    /// <summary>The largest value over the rows that took it; NaN once one of them is NaN (a NaN logit is a result).</summary>
    static double MaxTaken(Curve curve, string name)
    {
        if (!curve.Has(name)) return double.NaN;
        double max = double.NegativeInfinity;
        foreach (var v in curve.Taken(name)) max = double.IsNaN(v) ? double.NaN : Math.Max(max, v);
        return max;
    }
}
