using Proxies.Experiments;
using Proxies.Model;
using Proxies.Sweeps;

namespace Proxies.Tests.Experiments;

/// <summary>The sweep settings are declared once; every way they travel (a command line, a notebook's parameters, a
/// Slurm task's arguments) is made from that declaration and gives back the same settings.</summary>
public class SweepSettingsTests
{
    static readonly SweepSettings Everything = new()
    {
        Profile = Profile.Paper, Matmul = MatmulPrecision.Bf16, Data = "/data/c4/*.json.gz", Vocab = "bpe:512",
        RepeatData = true, Device = "cuda", CheckpointEvery = 100,
    };

    [Fact]
    public void EverySettingChangedFromItsDefaultSurvivesTheArgumentsAndTheParameters()
    {
        // Each property of the record has a declaration: changing every one shows in the arguments.
        int properties = typeof(SweepSettings).GetProperties().Count(p => p.CanWrite);
        Assert.Equal(properties, SweepSettings.All.Count);
        var args = Everything.Arguments().ToList();
        Assert.All(SweepSettings.All, s => Assert.Contains(s.Flag, args));

        var fromArguments = SweepSettings.Read(s => s.IsSwitch ? (args.Contains(s.Flag) ? "true" : null)
            : args.IndexOf(s.Flag) is var i and >= 0 ? args[i + 1] : null);
        Assert.Equal(Everything, fromArguments);
        var fromParameters = SweepSettings.Read(s => s.Show(Everything));
        Assert.Equal(Everything, fromParameters);
        Assert.Equal(new SweepSettings(), SweepSettings.Read(_ => null));
    }

    [Fact]
    public void AWordASettingRefusesIsRefusedNamingTheFlagAndWhatIsAllowed()
    {
        string Refusal(string name, string word) =>
            Assert.Throws<ArgumentException>(() => SweepSettings.Read(s => s.Name == name ? word : null)).Message;
        Assert.Equal("--profile huge: must be one of smoke, quick, paper", Refusal("profile", "huge"));
        Assert.Equal("--device tpu: must be one of auto, cpu, cuda", Refusal("device", "tpu"));
        Assert.Equal("--checkpoint-every -1: must be 0 (none) or a positive step count", Refusal("checkpoint-every", "-1"));
        Assert.Equal("--matmul fp16: must be one of fp32, bf16", Refusal("matmul", "fp16"));
    }

    [Fact]
    public void ACorpusGivenAsARelativePathTravelsAsAnAbsoluteOne()
    {
        // The notebooks' kernel runs in notebooks/ and a Slurm task in the job's folder: data/brown.txt.gz must still be found.
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.Combine(Repository.Root(), "data", "brown.txt.gz"));
        Assert.Equal(Path.Combine(Repository.Root(), "data", "brown.txt.gz"), new SweepSettings { Data = relative }.WithAbsoluteData().Data);
        Assert.Equal("c4/en/c4-*.json.gz", new SweepSettings { Data = "c4/en/c4-*.json.gz" }.WithAbsoluteData().Data);   // a glob is resolved where it runs
        Assert.Null(new SweepSettings().WithAbsoluteData().Data);
    }

    [Fact]
    public void TheNumericsGiveEachKindOfRunItsOwnRunIdsAndFolder()
    {
        var config = Ladder.For(Profile.Smoke).Base((32, 1, 1), 1e-2);
        Assert.Equal(config.RunId, new SweepSettings().Apply(config).RunId);
        Assert.NotEqual(config.RunId, (new SweepSettings { Matmul = MatmulPrecision.Bf16 }).Apply(config).RunId);
        Assert.Equal("-bf16", (new SweepSettings { Matmul = MatmulPrecision.Bf16 }).NumericsSuffix);
        Assert.Equal("", new SweepSettings().NumericsSuffix);
    }
}
