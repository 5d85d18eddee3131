using Proxies.Claims;
using Proxies.Experiments;
using Proxies.Model;
using Proxies.Training;

namespace Proxies.Tests.Claims;

/// <summary>How a claim turns per-seed values into a value, an interval and a verdict, on hand-made runs.</summary>
public class ClaimTests
{
    static RunResult Run(string variant, int seed, double lr, double loss, double initial = 5.0) => new()
    {
        RunId = $"{variant}-{seed}-{lr}",
        Config = new TrainConfig { Variant = variant, Seed = seed, Lr = lr, Model = new ModelConfig { Width = 32 } },
        Values = new Dictionary<string, double> { ["final:eval_loss"] = loss, ["initial:eval_loss"] = initial, ["diverged"] = 0, ["params"] = 1000 },
    };

    /// <summary>The loss of arm B minus arm A at LR 0.1, per seed.</summary>
    static readonly Claim BWorseThanA = new("99.b-worse", "x", "B ends worse than A", "loss B − loss A at LR 0.1", Direction.Positive, Unit.Nats,
        s => s.Loss("B", 32, 0.1) - s.Loss("A", 32, 0.1));

    static List<RunResult> Arms(params (int Seed, double A, double B)[] seeds) =>
        seeds.SelectMany(s => new[] { Run("A", s.Seed, 0.1, s.A), Run("B", s.Seed, 0.1, s.B) }).ToList();

    [Fact]
    public void ThreeSeedsThatAgreeReproduceWithTheirTInterval()
    {
        // Paired differences 0.2, 0.3, 0.4: mean 0.3, sd 0.1, half-width 4.303·0.1/√3 = 0.24843.
        var result = BWorseThanA.Judge(Arms((0, 2.0, 2.2), (1, 2.1, 2.4), (2, 1.9, 2.3)), null, Profile.Quick);
        Assert.Equal(0.3, result.Value, 12);
        Assert.Equal(0.3 - 0.24843, result.Low, 5);
        Assert.Equal(Verdict.Reproduces, result.Verdict);
        Assert.Equal([0, 1, 2], result.PerSeed.Select(x => x.Seed));
    }

    [Fact]
    public void ArmsAreComparedSeedBySeed()
    {
        // Seed effects (2.0 vs 3.0) far larger than the arms' difference: unpaired means would drown it, pairs do not.
        var result = BWorseThanA.Judge(Arms((0, 2.0, 2.1), (1, 3.0, 3.1), (2, 2.5, 2.6)), null, Profile.Quick);
        Assert.Equal(0.1, result.Value, 12);
        Assert.Equal(Verdict.Reproduces, result.Verdict);
    }

    [Fact]
    public void SeedsThatDisagreeAreInsideTheNoiseAndAClearReversalIsOpposite()
    {
        Assert.Equal(Verdict.InsideTheNoise, BWorseThanA.Judge(Arms((0, 2.0, 2.3), (1, 2.0, 1.9), (2, 2.0, 2.1)), null, Profile.Quick).Verdict);
        Assert.Equal(Verdict.Opposite, BWorseThanA.Judge(Arms((0, 2.3, 2.0), (1, 2.4, 2.1), (2, 2.2, 1.9)), null, Profile.Quick).Verdict);
    }

    [Fact]
    public void OneSeedIsJudgedAgainstTwiceTheRerunNoise()
    {
        var runs = Arms((0, 2.0, 2.1));
        var noise = new RerunNoise(Nats: 0.04, Decades: 0.1, LrDecades: 0.1, Runs: 10, Source: "test");
        var result = BWorseThanA.Judge(runs, noise, Profile.Quick);
        Assert.Equal(0.1 - 0.08, result.Low, 12);
        Assert.Equal(Verdict.Reproduces, result.Verdict);
        Assert.Equal(Verdict.InsideTheNoise, BWorseThanA.Judge(runs, noise with { Nats = 0.06 }, Profile.Quick).Verdict);
        Assert.Equal(Verdict.NotTestableHere, BWorseThanA.Judge(runs, null, Profile.Quick).Verdict);
    }

    [Fact]
    public void ASeedMissingAnArmIsLeftOutAndADeclaredBlindSpotIsNotTestable()
    {
        var runs = Arms((0, 2.0, 2.2), (1, 2.1, 2.4));
        runs.Add(Run("A", 2, 0.1, 2.0));   // seed 2 has no B run
        Assert.Equal([0, 1], BWorseThanA.Judge(runs, null, Profile.Quick).PerSeed.Select(x => x.Seed));
        var blind = BWorseThanA with { NotTestable = "this design cannot see it" };
        var result = blind.Judge(runs, null, Profile.Quick);
        Assert.Equal(Verdict.NotTestableHere, result.Verdict);
        Assert.Equal("this design cannot see it", result.Noise);
    }

    [Fact]
    public void AnArmMissingAnLrOfItsGridCountsAsMissing()
    {
        // A's grid has LRs 0.1 and 0.3 (seed 0); seed 1 has only 0.1: its arm is incomplete, so its LR sensitivity is unknown.
        var runs = new List<RunResult> { Run("A", 0, 0.1, 2.0), Run("A", 0, 0.3, 2.5), Run("A", 1, 0.1, 2.0) };
        Assert.Equal(0.25, new SeedRuns(0, runs, Profile.Quick).Sensitivity("A", 32)!.Value, 12);
        Assert.Null(new SeedRuns(1, runs, Profile.Quick).Sensitivity("A", 32));
    }

    [Fact]
    public void ANegativeClaimReproducesBelowZero()
    {
        var aWorse = BWorseThanA with { Direction = Direction.Negative };   // the paper would say B ends better than A
        Assert.Equal(Verdict.Opposite, aWorse.Judge(Arms((0, 2.0, 2.2), (1, 2.1, 2.4), (2, 1.9, 2.3)), null, Profile.Quick).Verdict);
        Assert.Equal(Verdict.Reproduces, aWorse.Judge(Arms((0, 2.3, 2.0), (1, 2.4, 2.1), (2, 2.2, 1.9)), null, Profile.Quick).Verdict);
    }

    [Fact]
    public void ASeedWithANonFiniteValueIsLeftOutAndSaidSo()
    {
        // A NaN probe (a max logit of a run that overflowed) gives that seed a NaN statistic.
        var nanOnSeed2 = BWorseThanA with { PerSeed = s => s.Seed == 2 ? double.NaN : s.Loss("B", 32, 0.1) - s.Loss("A", 32, 0.1) };
        var result = nanOnSeed2.Judge(Arms((0, 2.0, 2.2), (1, 2.1, 2.4), (2, 1.9, 2.0)), null, Profile.Quick);
        Assert.Equal([0, 1], result.PerSeed.Select(x => x.Seed));
        Assert.Contains("seed(s) 2 left out", result.Noise);
    }

    [Fact]
    public void AWidthOnlyOtherSeedsHaveMakesThisSeedsAtEveryWidthStatisticNull()
    {
        // Seed 0 has widths 32 and 64; seed 1 only 32. "Min over widths" must not become "at width 32" for seed 1.
        RunResult At(int seed, int width, double loss) => Run("A", seed, 0.1, loss) with
        {
            RunId = $"A-{seed}-{width}", Config = Run("A", seed, 0.1, loss).Config with { Model = new ModelConfig { Width = width } },
        };
        var runs = new List<RunResult> { At(0, 32, 2.0), At(0, 64, 1.9), At(1, 32, 2.0) };
        Assert.Equal([32, 64], new SeedRuns(1, runs, Profile.Quick).Widths("A"));
        Assert.Null(SeedRuns.AtEvery(new SeedRuns(1, runs, Profile.Quick).Widths("A"), w => new SeedRuns(1, runs, Profile.Quick).Loss("A", w, 0.1)));
    }

    [Fact]
    public void AOneSeedStatisticOfMoreTermsGetsAWiderInterval()
    {
        var noise = new RerunNoise(Nats: 0.04, Decades: 0.1, LrDecades: 0.1, Runs: 10, Source: "test");
        var four = (BWorseThanA with { RerunTerms = 4 }).Judge(Arms((0, 2.0, 2.1)), noise, Profile.Quick);
        Assert.Equal(0.1 - 0.16, four.Low, 12);
        Assert.Equal(Verdict.InsideTheNoise, four.Verdict);
    }
}
