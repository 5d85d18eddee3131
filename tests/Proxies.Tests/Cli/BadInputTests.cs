using Proxies.Cli;

namespace Proxies.Tests.Cli;

/// <summary>The catalogue of refused command lines: each exits 2 before any work, names the flag, writes nothing.</summary>
public class BadInputTests
{
    public static TheoryData<string, string> Catalogue => new()
    {
        { "--width 0", "--width" },
        { "--width abc", "--width" },
        { "--width 65", "--heads" },                 // 65 not divisible by 2 heads
        { "--width 64 --heads 3", "--heads" },
        { "--width 64 --heads 64", "--head-dim" },   // head dim 1 is odd: RoPE needs pairs
        { "--head-dim 0", "--head-dim" },
        { "--heads 4 --head-dim 32 --width 64", "--head-dim" },
        { "--depth 0", "--depth" },
        { "--depth -3", "--depth" },
        { "--seq-len 1", "--seq-len" },
        { "--batch-size 0", "--batch-size" },
        { "--steps 0", "--steps" },
        { "--steps 1.5", "--steps" },
        { "--steps 10 --warmup-steps 20", "--warmup-steps" },
        { "--warmup-steps -1", "--warmup-steps" },
        { "--lr 0", "--lr" },
        { "--lr -1e-3", "--lr" },
        { "--lr NaN", "--lr" },
        { "--lr inf", "--lr" },
        { "--lr 1e-2 --min-lr 0.1", "--min-lr" },
        { "--eps NaN", "--eps" },
        { "--eps -1e-8", "--eps" },
        { "--eps 0", "--eps" },
        { "--beta2 1", "--beta2" },
        { "--beta1 -0.1", "--beta1" },
        { "--z-loss -1", "--z-loss" },
        { "--weight-decay -0.1", "--weight-decay" },
        { "--wd-mode sometimes", "--wd-mode" },
        { "--qk-layernorm maybe", "--qk-layernorm" },
        { "--mu-param huge", "--mu-param" },
        { "--clip 0", "--clip" },
        // Too big for this machine's memory: refused with the estimate, not crashed on or trained into swap.
        { "--batch-size 100000000", "--batch-size" },
        { "--width 8192 --depth 64 --heads 64", "--width" },
        { "--vocab words:1000000 --width 4096 --seq-len 4096 --batch-size 512", "--vocab" },
        { "--probe-every 0", "--probe-every" },
        { "--eval-every -5", "--eval-every" },
        { "--threads 0", "--threads" },
        { "--device tpu", "--device" },
        { "--data /nonexistent/file.txt", "--data" },
        { "--vocab words:8", "--vocab" },
        { "--vocab bpe:100000", "--vocab" },
        { "--vocab /nonexistent/tokenizer.model", "--vocab" },
        { "--lernrate 0.1", "--lernrate" },
        { "--steps", "--steps" },
        { "--seed 1 --seed 2", "--seed" },
        { "--optimizer lion", "--optimizer" },
        { "--mu-loss -1", "--mu-loss" },
        { "--logit-softcap -30", "--logit-softcap" },
        { "--mu-centering on --tie-head on", "--mu-centering" },
        { "--final-ln-gain frozen", "--final-ln-gain" },
        { "--precision fp8", "--precision" },
        { "--tie-head yes", "--tie-head" },
        { "--vocab letters", "--vocab" },
        { "--gelu relu", "--gelu" },
        { "--matmul fp16", "--matmul" },
        { "--precision bf16 --matmul bf16", "--precision" },
        { "--gelu fusedtanh", "--gelu" },
    };

    public static TheoryData<string, string> SweepCatalogue => new()
    {
        { "no-such-experiment", "unknown experiment" },
        { "lr-sensitivity --profile huge", "--profile" },
        { "lr-sensitivity --workers 0", "--workers" },
        { "lr-sensitivity --workers -2", "--workers" },
        { "lr-sensitivity --shard 3/2", "--shard" },
        { "lr-sensitivity --shard x", "--shard" },
        { "lr-sensitivity --threads 0", "--threads" },
        { "lr-sensitivity --device gpu", "--device" },
        { "lr-sensitivity attention-logit-growth", "one experiment" },
        { "lr-sensitivity --lr 0.1", "--lr" },
        { "lr-sensitivity --matmul fp16", "--matmul" },
    };

    [Theory]
    [MemberData(nameof(Catalogue))]
    public void TrainRefusedWithExitCode2NamingTheFlagAndNothingWritten(string arguments, string flag) => Refused("train", arguments, flag);

    [Theory]
    [MemberData(nameof(SweepCatalogue))]
    public void SweepRefusedWithExitCode2NamingTheFlagAndNothingWritten(string arguments, string flag) => Refused("sweep", arguments, flag);

    static void Refused(string verb, string arguments, string flag)
    {
        var outDir = Path.Combine(Path.GetTempPath(), "proxies-bad-" + Guid.NewGuid().ToString("N"));
        var (code, stderr) = CliRunner.Run([verb, .. arguments.Split(' '), "--out", outDir]);
        Assert.Equal(2, code);
        Assert.Contains(flag, stderr);
        Assert.False(Directory.Exists(outDir), "a refused command must write nothing");
    }

    [Fact]
    public void EmptyDataFileIsRefused()
    {
        var empty = Path.GetTempFileName();
        var outDir = Path.Combine(Path.GetTempPath(), "proxies-bad-" + Guid.NewGuid().ToString("N"));
        var (code, stderr) = CliRunner.Run(["train", "--data", empty, "--out", outDir]);
        Assert.Equal(2, code);
        Assert.Contains("empty", stderr);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void ThePaperProfileOnTheShippedCorpusIsRefusedBeforeAnyRun()
    {
        var outDir = Path.Combine(Path.GetTempPath(), "proxies-bad-" + Guid.NewGuid().ToString("N"));
        var (code, stderr) = CliRunner.Run(["sweep", "lr-sensitivity", "--profile", "paper", "--out", outDir]);
        Assert.Equal(2, code);
        Assert.Contains("--repeat-data", stderr);
        Assert.Contains("passes over this corpus", stderr);
        Assert.False(Directory.Exists(outDir));
    }

    [Theory]
    [InlineData("--results /no/such/folder", "--results")]
    [InlineData("--notebook 42", "--notebook")]
    [InlineData("--notebook 03 --write", "--write")]
    [InlineData("--measure-rerun no-such-experiment", "unknown experiment")]
    public void ClaimsRefusedWithExitCode2NamingWhatIsWrong(string arguments, string what)
    {
        string[] results = arguments.Contains("--results") ? [] : ["--results", Path.Combine(Repository.Root(), "results", "quick")];
        var (code, stderr) = CliRunner.Run(["claims", .. arguments.Split(' '), .. results]);
        Assert.Equal(2, code);
        Assert.Contains(what, stderr);
    }

    [Theory]
    [InlineData("--width 512 --depth 8 --heads 8", "head dim")]
    [InlineData("--width 64 --depth 2 --heads 2", "nothing to extrapolate")]
    [InlineData("--width 512 --depth 8 --heads 16 --lrs 0.01", "two or more")]
    [InlineData("--width 512 --depth 8 --heads 16 --lrs 0.01,x", "not a positive learning rate")]
    [InlineData("--width 512 --depth 8 --heads 16 --tolerance -1", "--tolerance")]
    [InlineData("--width 512 --depth 8 --heads 16 --lr 0.1", "--lrs")]
    public void ForecastRefusedBeforeAnyTrainingNamingWhatIsWrong(string arguments, string what)
    {
        var root = Directory.CreateTempSubdirectory().FullName;
        var (code, stderr) = CliRunner.Run(["forecast", .. arguments.Split(' '), "--results", root]);
        Assert.Equal(2, code);
        Assert.Contains(what, stderr);
        Assert.Empty(Directory.GetFileSystemEntries(root));
    }

    [Fact]
    public void UnknownVerbIsRefused()
    {
        var (code, stderr) = CliRunner.Run(["trian"]);
        Assert.Equal(2, code);
        Assert.Contains("unknown verb", stderr);
    }
}

/// <summary>Runs the CLI in-process, capturing standard error.</summary>
static class CliRunner
{
    static readonly object ConsoleGate = new();

    public static (int Code, string Stderr) Run(string[] args)
    {
        lock (ConsoleGate)
        {
            var saved = Console.Error;
            var capture = new StringWriter();
            Console.SetError(capture);
            try { return (Program.Main(args), capture.ToString()); }
            finally { Console.SetError(saved); }
        }
    }
}
