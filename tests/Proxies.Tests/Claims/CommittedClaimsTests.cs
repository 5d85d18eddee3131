using Proxies.Claims;
using Proxies.Experiments;
using Proxies.Results;
using Proxies.Training;

namespace Proxies.Tests.Claims;

/// <summary>Every claim of notebooks 01–07 and 10–13 recomputed from the committed quick results against the verdicts recorded in
/// results/quick/claims.csv (`claims --write` records them): a change in the results, the statistics or the noise
/// that moves a value or a verdict fails here, and the notebooks' prose, which says no more than claims.csv, must
/// then be read again.</summary>
public class CommittedClaimsTests
{
    static string Root => Path.Combine(Repository.Root(), "results", "quick");

    [Fact]
    public void EveryClaimRecomputesToItsRecordedValueAndVerdict()
    {
        var recorded = ClaimBook.Read(Path.Combine(Root, ClaimBook.FileName));
        var judged = ClaimBook.JudgeEverything(Root, Profile.Quick);
        Assert.Contains(judged, r => r.Claim.Notebook == "11");
        Assert.Contains(judged, r => r.Claim.Notebook == "13");
        Assert.Equal(judged.Select(r => r.Claim.Id).Order(), recorded.Keys.Order());
        Assert.All(judged, r =>
        {
            var (value, low, high, verdict) = recorded[r.Claim.Id];
            Assert.True(verdict == r.Verdict, $"{r.Claim.Id}: recorded '{verdict.Text()}', recomputed '{r.Verdict.Text()}'");
            Assert.True(Same(value, r.Value) && Same(low, r.Low) && Same(high, r.High),
                $"{r.Claim.Id}: recorded {value} [{low}, {high}], recomputed {r.Value} [{r.Low}, {r.High}]");
        });
    }

    static bool Same(double a, double b) => double.IsNaN(a) ? double.IsNaN(b) : Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(a));

    [Fact]
    public void SwappingOneSeedsArmsChangesAVerdict()
    {
        // The mutation the test above must catch: seed 1's qk-layernorm arms swapped in notebook 03's runs.
        var claim = ClaimBook.All.Single(c => c.Id == "03.qkln-lowers-sensitivity");
        var runs = new ResultsStore(Root, claim.Experiment).Runs();
        var rerun = RerunNoise.Read(Root);
        var honest = claim.Judge(runs, rerun, Profile.Quick);
        var swapped = runs.Select(r => r.Config.Seed != 1 ? r : r with
        {
            Config = r.Config with { Variant = r.Config.Variant == "qk-ln on" ? "qk-ln off" : "qk-ln on" },
        }).ToList();
        var mutated = claim.Judge(swapped, rerun, Profile.Quick);
        Assert.Equal(Verdict.Reproduces, honest.Verdict);
        Assert.NotEqual(honest.Verdict, mutated.Verdict);
        Assert.True(mutated.PerSeed.Single(x => x.Seed == 1).Value < 0);
    }

    [Fact]
    public void EveryClaimNamesAnExperimentOfTheCatalogAndAUniqueId()
    {
        Assert.Equal(ClaimBook.All.Count, ClaimBook.All.Select(c => c.Id).Distinct().Count());
        Assert.All(ClaimBook.All, c => Catalog.Find(c.Experiment));
    }
}
