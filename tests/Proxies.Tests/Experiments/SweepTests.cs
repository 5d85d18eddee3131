using Proxies.Experiments;
using Proxies.Model;
using Proxies.Results;
using Proxies.Sweeps;
using Proxies.Training;

namespace Proxies.Tests.Experiments;

public class SweepTests : TorchTest
{
    static readonly Experiment Smoke = Catalog.Find("lr-sensitivity");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void ShardsPartitionTheGridExactly(int n)
    {
        foreach (var experiment in Catalog.All)
            foreach (var profile in Enum.GetValues<Profile>())
            {
                var all = Sweep.Plan(experiment, profile, Shard.All).Select(c => c.RunId).ToList();
                var parts = Enumerable.Range(0, n).Select(i => Sweep.Plan(experiment, profile, new Shard(i, n)).Select(c => c.RunId).ToList()).ToList();
                Assert.Equal(all.Count, parts.Sum(p => p.Count));                    // no overlap
                Assert.Equal(all.OrderBy(x => x), parts.SelectMany(p => p).OrderBy(x => x)); // no gap
                Assert.Equal(all.Count, all.Distinct().Count());
            }
    }

    [Theory]
    [InlineData("1/1")]
    [InlineData("-1/2")]
    [InlineData("a/b")]
    [InlineData("2")]
    [InlineData("0/0")]
    public void BadShardSpecsAreRefused(string spec) => Assert.Throws<ArgumentException>(() => Shard.Parse(spec));

    [Fact]
    public void ResumeAfterAKillLeavesEveryRunExactlyOnceAndEqualToAnUninterruptedSweep()
    {
        var interrupted = Directory.CreateTempSubdirectory().FullName;
        var clean = Directory.CreateTempSubdirectory().FullName;
        var executor = new InProcessExecutor("cpu", threads: 1);

        // "Kill" after 3 runs: cancel, and leave a torn temporary file as a crash mid-write would.
        using (var cancel = new CancellationTokenSource())
        {
            var progress = new Progress3(() => cancel.Cancel());
            Assert.ThrowsAny<OperationCanceledException>(() =>
                Sweep.Run(Smoke, Profile.Smoke, interrupted, executor, progress: progress, cancel: cancel.Token));
        }
        var store = new ResultsStore(interrupted, Smoke.Name);
        Assert.Equal(3, store.Runs().Count);
        File.WriteAllText(Path.Combine(store.Folder, ".runs.csv.999.torn.tmp"), "run_id,exp");

        var resumed = Sweep.Run(Smoke, Profile.Smoke, interrupted, executor);
        Assert.Equal(3, resumed.Skipped);
        Assert.Equal(5, resumed.Done);
        var again = Sweep.Run(Smoke, Profile.Smoke, interrupted, executor);
        Assert.Equal(8, again.Skipped);
        Assert.Equal(0, again.Done);

        Sweep.Run(Smoke, Profile.Smoke, clean, executor);
        var a = store.Runs().OrderBy(r => r.RunId).ToList();
        var b = new ResultsStore(clean, Smoke.Name).Runs().OrderBy(r => r.RunId).ToList();
        Assert.Equal(8, a.Select(r => r.RunId).Distinct().Count());
        Assert.Equal(b.Select(r => r.RunId), a.Select(r => r.RunId));
        Assert.Equal(b.Select(r => r.FinalEvalLoss), a.Select(r => r.FinalEvalLoss));   // bitwise, one thread
        Assert.All(a, r => Assert.True(File.Exists(store.CurvePath(r.RunId))));
        var manifest = Manifest.Read(store.ManifestPath)!;
        Assert.Equal(2, manifest["sweeps"]!.AsArray().Count);               // a sweep with nothing to do records nothing
        Assert.Equal("interrupted", (string?)manifest["sweeps"]![0]!["outcome"]);
        Assert.Equal(8, manifest["configs"]!.AsObject().Count);
    }

    /// <summary>bf16 matmuls: new run ids, and refused a folder of the default runs, whose analysis would pool the two
    /// kinds.</summary>
    [Fact]
    public void ASweepOfOtherNumericsHasItsOwnRunIdsAndIsRefusedAFolderOfDefaultRuns()
    {
        var root = Directory.CreateTempSubdirectory().FullName;
        var other = Smoke.WithMatmul(MatmulPrecision.Bf16);
        var defaultIds = Sweep.Plan(Smoke, Profile.Smoke, Shard.All).Select(c => c.RunId);
        var otherPlan = Sweep.Plan(other, Profile.Smoke, Shard.All);
        Assert.All(otherPlan, c => Assert.Equal("bf16", c.Model.Numerics));
        Assert.Empty(otherPlan.Select(c => c.RunId).Intersect(defaultIds));

        var oneRun = new Shard(0, 8);
        Sweep.Run(Smoke, Profile.Smoke, root, new InProcessExecutor("cpu", 1), oneRun);
        var refused = Assert.Throws<InvalidConfigException>(() => Sweep.Run(other, Profile.Smoke, root, new InProcessExecutor("cpu", 1), oneRun));
        Assert.Contains("already holds fp32 runs", refused.Errors.Single().Allowed);
        Assert.Single(new ResultsStore(root, Smoke.Name).Runs());
    }

    [Fact]
    public void ResultsLoadIntoADeedleFrameInOneCall()
    {
        var root = Directory.CreateTempSubdirectory().FullName;
        Sweep.Run(Catalog.Find("attention-logit-growth"), Profile.Smoke, root, new InProcessExecutor("cpu", 1), shard: new Shard(0, 4));
        var frame = ResultsFrame.Runs(Path.Combine(root, "attention-logit-growth"));
        Assert.Equal(2, frame.RowCount);
        Assert.Contains("max:max_attn_logit", frame.ColumnKeys);
        var runId = frame.GetColumn<string>("run_id").Values.First();
        var curve = ResultsFrame.Curve(Path.Combine(root, "attention-logit-growth"), runId);
        Assert.Equal(21, curve.RowCount);   // 40 steps probed every 2, plus the last
    }

    [Fact]
    public void ARunAnotherExperimentRecordedIsCopiedWithItsCurveNotRetrained()
    {
        var root = Directory.CreateTempSubdirectory().FullName;
        var growth = Catalog.Find("attention-logit-growth");
        Sweep.Run(growth, Profile.Smoke, root, new InProcessExecutor("cpu", 1), new Shard(0, 4));
        var source = new ResultsStore(root, growth.Name);
        var recorded = source.Runs();

        var spy = new SpyExecutor();
        var summary = Sweep.Run(Smoke, Profile.Smoke, root, spy);
        var plan = Sweep.Plan(Smoke, Profile.Smoke, Shard.All);
        var shared = plan.Select(c => c.RunId).Intersect(recorded.Select(r => r.RunId)).ToList();
        Assert.NotEmpty(shared);                                  // the default recipe's seed-0 runs are attention-logit-growth's qk-ln on runs
        Assert.Equal(plan.Count - shared.Count, spy.Runs.Count);   // only the others are trained
        Assert.Empty(spy.Runs.Select(c => c.RunId).Intersect(shared));
        Assert.Equal(shared.Count, summary.Skipped);

        var store = new ResultsStore(root, Smoke.Name);
        foreach (var id in shared)
        {
            var copy = store.Runs().Single(r => r.RunId == id);
            var original = recorded.Single(r => r.RunId == id);
            Assert.Equal(Smoke.Name, copy.Config.Experiment);
            Assert.Equal("default", copy.Config.Variant);
            Assert.Equal(original.FinalEvalLoss, copy.FinalEvalLoss);
            Assert.Equal(original[RunSummary.WallSeconds], copy[RunSummary.WallSeconds]);
            Assert.Equal(File.ReadAllBytes(source.CurvePath(id)), File.ReadAllBytes(store.CurvePath(id)));
        }
        var sweep = Manifest.Read(store.ManifestPath)!["sweeps"]![0]!;
        Assert.Equal(shared.Count, (int)sweep["runs_copied"]!);
    }

    [Fact]
    public void RunsAreHandedOutLongestFirstAndProgressCountsTheirCost()
    {
        var spy = new SpyExecutor(reportEach: true);
        var reports = new List<SweepProgress>();
        Sweep.Run(Catalog.Find("depth-width"), Profile.Smoke, Directory.CreateTempSubdirectory().FullName, spy,
            progress: new Collect(reports));
        var costs = spy.Runs.Select(c => c.Cost).ToList();
        Assert.True(costs.Distinct().Count() > 1, "the smoke grid has sizes of different cost");
        Assert.Equal(costs.OrderByDescending(f => f), costs);
        var done = reports.Where(r => r.RunId != "").ToList();
        Assert.Equal(spy.Runs.Count, done.Count);
        // After the first (largest) run the share done is that run's cost (the one worker's next run has just started),
        // well above its share of the count.
        Assert.Equal(costs[0] / costs.Sum(), done[0].Fraction, 12);
        Assert.True(done[0].Fraction > 1.0 / spy.Runs.Count);
        Assert.Equal(1.0, done[^1].Fraction, 12);
    }

    [Fact]
    public void WithTwoWorkersTheOtherWorkersRunCountsHalfDone()
    {
        var spy = new SpyExecutor(reportEach: true);
        var reports = new List<SweepProgress>();
        Sweep.Run(Catalog.Find("depth-width"), Profile.Smoke, Directory.CreateTempSubdirectory().FullName, spy, workers: 2,
            progress: new Collect(reports));
        var costs = spy.Runs.Select(c => c.Cost).ToList();
        var done = reports.Where(r => r.RunId != "").ToList();
        // The first run done; the second, on the other worker, is on average half way; the third has just started.
        Assert.Equal((costs[0] + costs[1] / 2) / costs.Sum(), done[0].Fraction, 12);
        Assert.Equal(1.0, done[^1].Fraction, 12);
    }

    /// <summary>Records what it was asked to train, and trains nothing (optionally reporting each as finished).</summary>
    sealed class SpyExecutor(bool reportEach = false) : IRunExecutor
    {
        public List<TrainConfig> Runs { get; } = new();
        public IReadOnlyList<string> Execute(IReadOnlyList<TrainConfig> runs, string resultsRoot, Action<string, string> finished, CancellationToken cancel)
        {
            Runs.AddRange(runs);
            if (reportEach) foreach (var c in runs) finished(c.RunId, "spied");
            return Array.Empty<string>();
        }
    }

    sealed class Collect(List<SweepProgress> into) : IProgress<SweepProgress>
    {
        public void Report(SweepProgress value) => into.Add(value);
    }

    /// <summary>Calls back once three runs have finished.</summary>
    sealed class Progress3(Action after) : IProgress<SweepProgress>
    {
        public void Report(SweepProgress value) { if (value.Done == 3) after(); }
    }
}
