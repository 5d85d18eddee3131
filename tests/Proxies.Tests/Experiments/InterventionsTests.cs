using Proxies.Experiments;
using Proxies.Model;
using Proxies.Optimization;

namespace Proxies.Tests.Experiments;

/// <summary>The grids of the §3.2 interventions: what each profile plans.</summary>
public class InterventionsTests
{
    [Fact]
    public void WarmupVariesOnlyTheWarmupAtFixedTotalSteps()
    {
        var runs = Interventions.Warmup(Profile.Quick);
        Assert.Equal(3 * 3 * 7 * 3, runs.Count);                 // sizes × lengths × LRs × seeds
        Assert.Equal(new[] { 3, 30, 90 }, runs.Select(r => r.WarmupSteps).Distinct().Order());
        Assert.Equal([0, 1, 2], runs.Select(r => r.Seed).Distinct().Order());
        // Paired: every arm has the same seeds.
        Assert.All(runs.GroupBy(r => (r.Variant, r.Model.Width, r.Lr)), g => Assert.Equal([0, 1, 2], g.Select(r => r.Seed).Order()));
        Assert.All(runs, r => Assert.Equal(300, r.Steps));
        Assert.Equal(new[] { 5_000, 10_000, 25_000 }, Interventions.Warmup(Profile.Paper).Select(r => r.WarmupSteps).Distinct().Order());
    }

    [Fact]
    public void ScaledLambdaGivesThePapersTotalDecay()
    {
        // The paper: λ = 1e-4 over 1e5 steps (5e3 warm-up, cosine to 1e-5) totals λ·Σₜ sₜ = 5.0048.
        var quick = Interventions.WeightDecay(Profile.Quick).First(r => r.Variant == "independent, λ scaled");
        // The scaled λ is set on the schedule at η = 1e-2 (the absolute min LR makes Σₜ sₜ depend a little on η).
        Assert.Equal(5.0048, (quick with { Lr = 1e-2 }).Schedule.TotalDecay(quick.WeightDecay, WeightDecayMode.Independent, quick.Steps), 3);
        Assert.InRange(quick.WeightDecay, 0.03, 0.04);
        var runs = Interventions.WeightDecay(Profile.Quick);
        var coupled = runs.Where(r => r.WdMode == WeightDecayMode.Coupled).ToList();
        Assert.Equal(Interventions.CoupledLrs, coupled.Select(r => r.Lr).Distinct().Order());
        Assert.All(coupled, r => Assert.Equal(0.1, r.WeightDecay));
        Assert.Equal(Ladder.PaperLrs.Order(), runs.Where(r => r.WdMode == WeightDecayMode.Independent).Select(r => r.Lr).Distinct().Order());
        // Independent (two λs) and coupled on seed 0; E.10's two extra λs at the middle width on the ladder's 3 seeds.
        Assert.Equal(3 * 7 * 2 + 3 * 8 + 2 * 7 * 3, runs.Count);
        Assert.Equal(new[] { 0, 1, 2 }, runs.Where(r => r.Variant.Contains(" × ")).Select(r => r.Seed).Distinct().Order());
        // At the paper profile the scaled λ is the paper's: one variant, no duplicate run ids.
        var paper = Interventions.WeightDecay(Profile.Paper);
        Assert.DoesNotContain(paper, r => r.Variant == "independent, λ scaled");
        Assert.Equal(paper.Count, paper.Select(r => r.RunId).Distinct().Count());
    }

    [Fact]
    public void MuParamsBaseWidthIsTheLaddersSmallestWidth()
    {
        var runs = Interventions.MuParam(Profile.Quick);
        Assert.All(runs.Where(r => r.Model.MuParam != MuParam.Off), r => Assert.Equal(32, r.Model.MuParamBaseWidth));
        Assert.All(Interventions.MuParam(Profile.Paper).Where(r => r.Model.MuParam != MuParam.Off), r => Assert.Equal(256, r.Model.MuParamBaseWidth));
        // The standard-parametrisation runs keep the default (unused) base width, so they are the same runs as elsewhere.
        Assert.All(runs.Where(r => r.Model.MuParam == MuParam.Off), r => Assert.Equal(new ModelConfig().MuParamBaseWidth, r.Model.MuParamBaseWidth));
        Assert.Equal(5, runs.Select(r => r.Variant).Distinct().Count());
        // The standard arm without qk-layernorm on seed 0 is attention-logit-growth's own runs (same ids: a sweep copies them).
        var growth = Catalog.Find("attention-logit-growth").Runs(Profile.Quick).Where(r => !r.Model.QkLayerNorm).Select(r => r.RunId).Order();
        Assert.Equal(growth, runs.Where(r => r.Variant == "standard, qk-ln off" && r.Seed == 0).Select(r => r.RunId).Order());
        // The four arms the claims compare are paired on the ladder's seeds; μP full, which no claim reads, runs on seed 0.
        foreach (var variant in new[] { "standard", "standard, qk-ln off", "μP simple", "μP simple, qk-ln off" })
            Assert.Equal(3 * 7 * 3, runs.Count(r => r.Variant == variant));
        Assert.All(runs.Where(r => r.Variant == "μP full"), r => Assert.Equal(0, r.Seed));
        Assert.Equal(runs.Count, runs.Select(r => r.RunId).Distinct().Count());
    }

    [Fact]
    public void DepthWidthFamiliesScaleOneThingEach()
    {
        var families = Interventions.DepthWidthFamilies(Profile.Quick).ToDictionary(f => f.Family, f => f.Sizes);
        Assert.Equal(new[] { (64, 1, 2), (64, 2, 2), (64, 4, 2) }, families["depth"]);
        Assert.Equal(new[] { (32, 2, 1), (64, 2, 2), (128, 2, 4) }, families["width"]);
        Assert.Equal(new[] { (32, 1, 1), (64, 2, 2), (128, 4, 4) }, families["joint"]);
        var runs = Interventions.DepthWidth(Profile.Quick);
        var byDefault = runs.Where(r => r.Variant == Variant.Default.Label).ToList();
        var withoutQkLn = runs.Where(r => r.Variant == Variant.QkLnOff.Label).ToList();
        Assert.Equal(7 * 7 * 3, byDefault.Count);                // 7 distinct sizes × 7 LRs × 3 seeds: shared sizes are one run
        Assert.All(byDefault, r => Assert.True(r.Model.QkLayerNorm));
        // E.2's arm: the depth and width families (5 distinct sizes) without qk-layernorm, on the same seeds.
        Assert.Equal(5 * 7 * 3, withoutQkLn.Count);
        Assert.All(withoutQkLn, r => Assert.False(r.Model.QkLayerNorm));
        Assert.Equal(new[] { (32, 2), (64, 1), (64, 2), (64, 4), (128, 2) },
            withoutQkLn.Select(r => (r.Model.Width, r.Model.Depth)).Distinct().Order());
        Assert.Equal(runs.Count, byDefault.Count + withoutQkLn.Count);
        Assert.Equal(runs.Count, runs.Select(r => r.RunId).Distinct().Count());
    }
}
