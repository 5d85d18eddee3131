using System.Globalization;
using Proxies.Experiments;
using Proxies.Model;
using Proxies.Training;

namespace Proxies.Sweeps;

/// <summary>
/// How a sweep runs, beyond its grid: the profile, the numerics (matmul precision), the corpus and
/// vocabulary, whether a small corpus may be cycled, the device and the checkpoint interval. Each is declared once in
/// <see cref="All"/>: the sweep and notebooks commands' flags, a notebook's parameters (<c>Workbook.Settings</c>) and the
/// arguments a Slurm task is started with are all made from that list. A new setting is a property here plus one line
/// there.
/// </summary>
public sealed record SweepSettings
{
    public Profile Profile { get; init; } = Profile.Quick;
    /// <summary>fp32, or bf16 autocast of every linear layer (<see cref="MatmulPrecision"/>): new run ids.</summary>
    public MatmulPrecision Matmul { get; init; } = MatmulPrecision.Fp32;
    /// <summary>The corpus every run trains on (null: the shipped Brown corpus, or the run's own).</summary>
    public string? Data { get; init; }
    /// <summary>The vocabulary (null: each run's, bytes by default).</summary>
    public string? Vocab { get; init; }
    /// <summary>Train even when a run reads its corpus more than <see cref="DataBudget.MaxEpochs"/> times.</summary>
    public bool RepeatData { get; init; }
    /// <summary>auto (CUDA when this is a CUDA build on a GPU machine, else the CPU), cpu or cuda.</summary>
    public string Device { get; init; } = "auto";
    /// <summary>Steps between a run's checkpoints (0: none).</summary>
    public int CheckpointEvery { get; init; } = RunCheckpoint.DefaultEvery;

    /// <summary>The experiment with these numerics and data applied to every run of its grid.</summary>
    public Experiment Apply(Experiment experiment) =>
        experiment.WithMatmul(Matmul).WithData(Data, Vocab);

    /// <summary>A config with these numerics, for a run trained outside a sweep (the κ transplant, fine-tuning).</summary>
    public TrainConfig Apply(TrainConfig config) => config with { Model = config.Model with { Matmul = Matmul } };

    /// <summary>The folder suffix of these numerics: a results folder holds one kind ("" or -bf16).</summary>
    public string NumericsSuffix => Matmul == MatmulPrecision.Bf16 ? "-bf16" : "";

    /// <summary>One setting: its name (the flag without "--", and the notebook parameter), the form of its value in the help
    /// ("" for a switch given without a value), its help, and how it is written and read.</summary>
    public sealed record Setting(string Name, string Hint, string Help, Func<SweepSettings, string> Show, Func<SweepSettings, string, SweepSettings> Set)
    {
        public string Flag => "--" + Name;
        public bool IsSwitch => Hint == "";
    }

    static Setting Switch(string name, string help, Func<SweepSettings, bool> get, Func<SweepSettings, bool, SweepSettings> set) =>
        new(name, "", help, s => get(s) ? "true" : "false", (s, w) => w switch
        {
            "true" => set(s, true),
            "false" => set(s, false),
            _ => throw new FormatException("must be true or false"),
        });

    static Setting Word(string name, string hint, string help, Func<SweepSettings, string?> get, Func<SweepSettings, string, SweepSettings> set) =>
        new(name, hint, help, s => get(s) ?? "", set);

    public static IReadOnlyList<Setting> All { get; } =
    [
        Word("profile", "smoke|quick|paper", "smoke (a minute or two), quick (the committed results), paper (the paper's recipe, for a GPU)",
            s => s.Profile.Name(), (s, w) => s with { Profile = Profiles.Parse(w) }),
        // The run's own switch parses it: one declaration of the words and what they mean.
        Word("matmul", "fp32|bf16", ConfigSwitches.Find("--matmul").Help + " in every run (new run ids; results in a folder of their own)",
            s => s.Matmul.Name(), (s, w) => s with { Matmul = ConfigSwitches.Find("--matmul").Set(new TrainConfig(), w).Model.Matmul }),
        Word("data", "FILE|FOLDER|GLOB", "train every run on this corpus (as `train --data`; the paper profile wants C4's shards)",
            s => s.Data, (s, w) => s with { Data = w }),
        Word("vocab", "SPEC", "and this vocabulary (as `train --vocab`, e.g. a 32k SentencePiece model)", s => s.Vocab, (s, w) => s with { Vocab = w }),
        Switch("repeat-data", $"train even when a run reads its corpus more than {DataBudget.MaxEpochs} times (else refused before it starts)",
            s => s.RepeatData, (s, v) => s with { RepeatData = v }),
        Word("device", "auto|cpu|cuda", "where runs train (auto: CUDA when this is a CUDA build on a GPU machine)",
            s => s.Device, (s, w) => w is "auto" or "cpu" or "cuda" ? s with { Device = w } : throw new FormatException("must be one of auto, cpu, cuda")),
        Word("checkpoint-every", "N", "save each run's state every N steps (0: none); a killed run goes on from it to the same result",
            s => s.CheckpointEvery.ToString(CultureInfo.InvariantCulture),
            (s, w) => int.TryParse(w, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? s with { CheckpointEvery = n }
                : throw new FormatException("must be 0 (none) or a positive step count")),
    ];

    /// <summary>Settings read by name from <paramref name="given"/> (a command line, a notebook's parameters): the word given
    /// for each, null or empty where none was (the default stays). A word a setting refuses is an <see cref="ArgumentException"/>
    /// naming the flag, the word and what is allowed.</summary>
    public static SweepSettings Read(Func<Setting, string?> given)
    {
        var settings = new SweepSettings();
        foreach (var setting in All)
        {
            if (given(setting) is not { Length: > 0 } word) continue;
            try { settings = setting.Set(settings, word); }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new ArgumentException($"{setting.Flag} {word}: {e.Message}", e);
            }
        }
        return settings;
    }

    /// <summary>Every setting as command-line arguments, for another process to run with the same settings (a Slurm task):
    /// a switch as its flag alone when on, a setting without a value left out.</summary>
    public IEnumerable<string> Arguments() => All.SelectMany(s => (s.IsSwitch, Word: s.Show(this)) switch
    {
        (true, "true") => new[] { s.Flag },
        (true, _) or (false, "") => [],
        (false, var word) => [s.Flag, word],
    });

    /// <summary>Every setting's word by name, defaults included (a notebook's parameters; "" for a setting without a value).</summary>
    public IReadOnlyDictionary<string, string> Words() => All.ToDictionary(s => s.Name, s => s.Show(this));

    public override string ToString() => string.Join("; ", Words().Where(p => p.Value != "").Select(p => $"{p.Key} {p.Value}"));

    /// <summary>The help lines of the settings (all, or those named), for the verbs that take them.</summary>
    public static string Help(params string[] only) => string.Join("\n", All.Where(s => only.Length == 0 || only.Contains(s.Name)).Select(s =>
        $"  {s.Flag + (s.IsSwitch ? "" : " " + s.Hint),-32} {s.Help}" + (s.IsSwitch ? "" : $" ({s.Show(new SweepSettings()) switch { "" => "none", var d => d }})")));

    /// <summary>These settings with a corpus given as a relative path made absolute: a notebook's kernel and a Slurm task
    /// run in other folders. A glob or a Brown genre spec stays as it is.</summary>
    public SweepSettings WithAbsoluteData() =>
        Data is { } data && (File.Exists(data) || Directory.Exists(data)) ? this with { Data = Path.GetFullPath(data) } : this;
}
