using System.Globalization;
using Proxies.Experiments;
using Proxies.Notebooks;
using Proxies.Results;
using Proxies.Training;

namespace Proxies.Claims;

/// <summary>
/// Every claim of notebooks 01–07, judged on a results folder. The verdicts of the committed results are kept in
/// claims.csv beside them; a test recomputes every claim and fails when a value or verdict no longer matches.
/// </summary>
public static class ClaimBook
{
    public const string FileName = "claims.csv";

    public static IReadOnlyList<Claim> All { get; } =
    [
        .. AttentionLogitGrowthClaims.All, .. OutputLogitClaims.All, .. LrSensitivityClaims.All, .. WarmupClaims.All,
        .. WeightDecayClaims.All, .. MuParamClaims.All, .. DepthWidthClaims.All,
    ];

    /// <summary>Judges <paramref name="claims"/> (all by default) on the runs under <paramref name="resultsRoot"/>, each
    /// against the rerun noise measured there (<see cref="RerunNoise"/>).</summary>
    public static IReadOnlyList<ClaimResult> Judge(string resultsRoot, Profile profile, IEnumerable<Claim>? claims = null)
    {
        var rerun = RerunNoise.Read(resultsRoot);
        var runs = new Dictionary<string, IReadOnlyList<RunResult>>();
        return (claims ?? All).Select(c =>
        {
            if (!runs.TryGetValue(c.Experiment, out var these)) runs[c.Experiment] = these = new ResultsStore(resultsRoot, c.Experiment).Runs();
            return c.Judge(these, rerun, profile);
        }).ToList();
    }

    /// <summary>One notebook's claims ("03"), judged.</summary>
    public static IReadOnlyList<ClaimResult> ForNotebook(string notebook, string resultsRoot, Profile profile) =>
        Judge(resultsRoot, profile, All.Where(c => c.Notebook == notebook));

    /// <summary>The claims table a notebook shows: one row a claim, with each seed's value.</summary>
    public static Table Table(IReadOnlyList<ClaimResult> results, string title = "Claims: the paper's direction against the noise") =>
        new(title, ["claim", "the paper says", "statistic", "seeds", "per seed", "value", "interval", "noise", "verdict"],
            results.Select(r => (IReadOnlyList<object>)
            [
                r.Claim.Id, r.Claim.Says, r.Claim.Statistic + (r.Claim.Direction == Direction.Positive ? " (paper: > 0)" : " (paper: < 0)"),
                r.PerSeed.Count, string.Join(" / ", r.PerSeed.Select(x => Number(x.Value))), r.Value,
                double.IsNaN(r.Low) ? "-" : $"[{Number(r.Low)}, {Number(r.High)}]", r.Noise, r.Verdict.Text(),
            ]).ToList());

    static string Number(double x) => x.ToString(Math.Abs(x) >= 1e4 || (Math.Abs(x) < 1e-3 && x != 0) ? "0.00E+0" : "0.000", CultureInfo.InvariantCulture);

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
