using System.Globalization;
using Proxies.Display;
using Proxies.Experiments;
using Proxies.Forecasting;
using Proxies.Results;
using Proxies.Runtime;
using Proxies.Training;

namespace Proxies.Claims;

/// <summary>
/// Every claim of notebooks 01–07 and 10–13, judged on a results folder (those of 11 and 13 on their studies' tables). The verdicts of the committed results are kept in
/// claims.csv beside them; a test recomputes every claim and fails when a value or verdict no longer matches.
/// </summary>
public static class ClaimBook
{
    public const string FileName = "claims.csv";

    public static IReadOnlyList<Claim> All { get; } =
    [
        .. AttentionLogitGrowthClaims.All, .. OutputLogitClaims.All, .. LrSensitivityClaims.All, .. WarmupClaims.All,
        .. WeightDecayClaims.All, .. MuParamClaims.All, .. DepthWidthClaims.All, .. AdamPrecursorClaims.All, .. StabilityFixClaims.All,
    ];

    /// <summary>Judges <paramref name="claims"/> (all by default) on the runs under <paramref name="resultsRoot"/>, each
    /// against the rerun noise measured there (<see cref="RerunNoise"/>).</summary>
    public static IReadOnlyList<ClaimResult> Judge(string resultsRoot, Profile profile, IEnumerable<Claim>? claims = null)
    {
        var rerun = RerunNoise.Read(resultsRoot);
        var runs = new Dictionary<string, IReadOnlyList<RunResult>>();
        var curves = new Dictionary<string, Probes.Curve>();   // read once: several claims read the same runs' curves
        return (claims ?? All).Select(c =>
        {
            var store = new ResultsStore(resultsRoot, c.Experiment);
            if (!runs.TryGetValue(c.Experiment, out var these)) runs[c.Experiment] = these = store.Runs();
            return c.Judge(these, rerun, profile, r => curves.TryGetValue(store.CurvePath(r.RunId), out var curve) ? curve
                : curves[store.CurvePath(r.RunId)] = CurveFile.Read(store.CurvePath(r.RunId)));
        }).ToList();
    }

    /// <summary>The claims judged on a study's own tables rather than on runs: notebook 11's (the progressive-sensitivity
    /// study of the profile's plan) and notebook 13's (the forecast of <see cref="ForecastStudy.Example"/> over the
    /// profile's LRs), each only where <paramref name="resultsRoot"/> holds that study complete.</summary>
    public static IReadOnlyList<ClaimResult> JudgeStudies(string resultsRoot, Profile profile)
    {
        var judged = new List<ClaimResult>();
        var plan = ProgressiveSensitivity.Plan(profile);
        var sensitivity = ProgressiveSensitivityResults.Read(Path.Combine(resultsRoot, plan.PreTrain.Experiment), ProgressiveSensitivity.Fingerprint(plan));
        if (sensitivity.SeedsDone.Count > 0) judged.AddRange(ProgressiveSensitivityClaims.Judge(sensitivity));
        var ladder = ForecastLadder.For(profile);
        if (ForecastStudy.Read(ForecastStudy.Example(ladder), ladder.Budget.LearningRates, profile, resultsRoot) is { } forecast)
            judged.AddRange(ForecastClaims.Judge(forecast));
        return judged;
    }

    /// <summary>Every claim <paramref name="resultsRoot"/> can judge: those on runs and those on studies.</summary>
    public static IReadOnlyList<ClaimResult> JudgeEverything(string resultsRoot, Profile profile) =>
        [.. Judge(resultsRoot, profile), .. JudgeStudies(resultsRoot, profile)];

    /// <summary>One notebook's claims ("03"), judged.</summary>
    public static IReadOnlyList<ClaimResult> ForNotebook(string notebook, string resultsRoot, Profile profile) =>
        Judge(resultsRoot, profile, All.Where(c => c.Notebook == notebook));

    /// <summary>The claims table a notebook shows: one row a claim, with each seed's value.</summary>
    public static Table Table(IReadOnlyList<ClaimResult> results, string title = "Claims: the paper's direction against the noise") =>
        Display.Table.Of(title, results,
            ("claim", r => r.Claim.Id), ("the paper says", r => r.Claim.Says),
            ("statistic", r => r.Claim.Statistic + (r.Claim.Direction == Direction.Positive ? " (paper: > 0)" : " (paper: < 0)")),
            ("seeds", r => r.PerSeed.Count), ("per seed", r => string.Join(" / ", r.PerSeed.Select(x => Display.Table.Format(x.Value)))),
            ("value", r => r.Value),
            ("interval", r => double.IsNaN(r.Low) ? "-" : $"[{Display.Table.Format(r.Low)}, {Display.Table.Format(r.High)}]"),
            ("noise", r => r.Noise), ("verdict", r => r.Verdict.Text()));

    static readonly string[] Columns = ["claim", "notebook", "experiment", "direction", "unit", "seeds", "per_seed", "value", "low", "high", "noise", "verdict", "says", "statistic"];

    /// <summary>Writes the judged claims as claims.csv, atomically.</summary>
    public static void Write(string path, IReadOnlyList<ClaimResult> results) =>
        AtomicFile.WriteAllText(path, string.Join("\n", results.Select(r => Csv.Line(
        [
            r.Claim.Id, r.Claim.Notebook, r.Claim.Experiment, r.Claim.Direction.ToString(), r.Claim.Unit.ToString(), r.PerSeed.Count.ToString(CultureInfo.InvariantCulture),
            string.Join(" ", r.PerSeed.Select(x => $"{x.Seed}:{Csv.Format(x.Value)}")), Csv.Format(r.Value), Csv.Format(r.Low), Csv.Format(r.High),
            r.Noise, r.Verdict.Text(), r.Claim.Says, r.Claim.Statistic,
        ])).Prepend(Csv.Line(Columns))) + "\n");

    /// <summary>The recorded verdicts of claims.csv: claim id → (value, low, high, verdict).</summary>
    public static IReadOnlyDictionary<string, (double Value, double Low, double High, Verdict Verdict)> Read(string path) =>
        Csv.ReadRecords(path).ToDictionary(r => r["claim"],
            r => (Csv.ParseDouble(r["value"]), Csv.ParseDouble(r["low"]), Csv.ParseDouble(r["high"]), VerdictText.Parse(r["verdict"])));
}
