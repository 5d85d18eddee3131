using System.Globalization;
using Proxies.Model;
using Proxies.Optimization;
using Proxies.Results;
using Proxies.Runtime;
using Proxies.Sweeps;
using Proxies.Training;

namespace Proxies.Cli;

/// <summary>`train`: one run of the paper's model with any of its switches; writes runs.csv and a curve.</summary>
public static class TrainVerb
{
    /// <summary>Made from the switch declarations: each flag, its values, its default and what it does.</summary>
    public static string Help => "train: train one model and record its probes.\n" +
        string.Concat(ConfigSwitches.All.Select(s => $"  {s.Flag} {s.Hint} ({Default(s)}): {s.Help}\n")) +
        "  --threads N (one per core)  --out DIR (runs/train)\n" +
        SweepSettings.Help(RuntimeSettings) + "\n" +
        "Writes DIR/runs.csv (one row per run) and DIR/curves/<run_id>.csv (per-step probes), and its checkpoint in\n" +
        "DIR/checkpoints/: the same command after a kill or preemption goes on from it, to the same result bit for bit.";

    /// <summary>The sweep settings a single run takes too (declared with them).</summary>
    static readonly string[] RuntimeSettings = ["device", "checkpoint-every", "repeat-data"];

    static string Default(ConfigSwitch s) => s.Show(new TrainConfig()) is { Length: > 0 } v ? v : s.Flag == "--data" ? "data/brown.txt.gz" : "none";

    /// <summary>--matmul fp32|bf16 for `bench`, parsed by its one declaration, the config switch.</summary>
    public static MatmulPrecision ReadMatmul(CommandLine cl, MatmulPrecision fallback) =>
        cl.String("--matmul") is { } word ? Apply(ConfigSwitches.Find("--matmul"), new TrainConfig(), word).Model.Matmul : fallback;

    /// <summary>Every config switch given on the command line, applied to <paramref name="defaults"/> in declaration order.</summary>
    public static TrainConfig ReadConfig(CommandLine cl, TrainConfig defaults)
    {
        var config = defaults;
        foreach (var s in ConfigSwitches.All)
            if (cl.String(s.Flag) is { } word) config = Apply(s, config, word);
        if (cl.String("--heads") is { } heads && cl.String("--head-dim") is { } headDim && config.Model.Heads.ToString(CultureInfo.InvariantCulture) != heads)
            throw new UsageException($"--head-dim {headDim}: --heads {heads} × --head-dim {headDim} must equal --width {config.Model.Width}");
        // The warm-up follows a changed step count (10%) unless it is given too.
        if (cl.Has("--steps") && !cl.Has("--warmup-steps")) config = config with { WarmupSteps = config.Steps / 10 };
        return config;
    }

    /// <summary>The words given for some switches (<paramref name="flags"/>), read now, as a change to apply to configs a
    /// verb builds itself (bench's standard configs take the kernel switches).</summary>
    public static Func<TrainConfig, TrainConfig> ReadSwitches(CommandLine cl, params string[] flags)
    {
        var given = flags.Select(f => (Switch: ConfigSwitches.Find(f), Word: cl.String(f))).Where(g => g.Word is not null).ToList();
        return config => given.Aggregate(config, (c, g) => Apply(g.Switch, c, g.Word!));
    }

    static TrainConfig Apply(ConfigSwitch s, TrainConfig config, string word)
    {
        try { return s.Set(config, word); }
        catch (FormatException e) { throw new UsageException($"{s.Flag} {word}: {e.Message}"); }
    }

    /// <summary>--checkpoint-every N, shared by the verbs that train (<see cref="RunCheckpoint"/>; declared with the sweep settings).</summary>
    public static int ReadCheckpointEvery(CommandLine cl) => SweepVerb.ReadSettings(cl, "checkpoint-every").CheckpointEvery;

    /// <summary>--device (declared with the sweep settings) and --threads, checked before libtorch starts.</summary>
    public static (string Device, int? Threads) ReadRuntime(CommandLine cl) => (SweepVerb.ReadSettings(cl, "device").Device, ReadThreads(cl));

    /// <summary>--threads N: libtorch's intra-op threads (one per core by default).</summary>
    public static int? ReadThreads(CommandLine cl)
    {
        int? threads = cl.Has("--threads") ? cl.Int("--threads", 0) : null;
        if (threads is < 1 or > 1024) throw new UsageException($"--threads {threads}: must be an integer from 1 to 1024");
        return threads;
    }

    public static int Run(string[] args)
    {
        var cl = new CommandLine(args, SweepVerb.Switches);
        var config = ReadConfig(cl, new TrainConfig());
        var runtime = SweepVerb.ReadSettings(cl, RuntimeSettings);
        var (deviceName, threads, repeatData, checkpointEvery) = (runtime.Device, ReadThreads(cl), runtime.RepeatData, runtime.CheckpointEvery);
        string outDir = cl.String("--out") ?? Path.Combine("runs", "train");
        cl.RejectUnknown("train");
        if (cl.Positional.Count > 0) throw new UsageException($"train takes no positional arguments, got '{cl.Positional[0]}'");
        ConfigValidation.Ensure(config);
        foreach (var budget in DataBudget.Ensure([config], repeatData)) Console.WriteLine($"data: {budget}");

        TorchRuntime.Start(threads);
        var device = TorchRuntime.ResolveDevice(deviceName);
        if (device.type == TorchSharp.DeviceType.CPU) Console.WriteLine(Model.CpuNumerics.Describe());
        var m = config.Model;
        Console.WriteLine($"train {config.RunId}: d {m.Width}, {m.Depth} layers, {m.Heads} heads, seq {m.SeqLen}, batch {config.BatchSize}, " +
                          $"{config.Steps} steps, lr {config.Lr:G3}, qk-LN {(m.QkLayerNorm ? "on" : "off")}, z-loss {config.ZLoss:G3}, on {device.type}");
        var bar = new ProgressBar("train", config.Steps);
        var progress = new CallbackProgress<TrainProgress>(p =>
            bar.Update(p.Step + 1, (p.Step + 1.0) / config.Steps, $"loss {p.Loss:F3} max-logit {p.MaxAttnLogit:G3}"));
        var store = new ResultsStore(outDir);
        OutputFolder.EnsureWritable(store.Folder);
        var sweepId = Manifest.NewSweepId();
        var checkpoint = store.Checkpoint(config.RunId, checkpointEvery);
        if (File.Exists(checkpoint.Path)) Console.WriteLine($"going on from the checkpoint {checkpoint.Path}");
        var (result, curve) = Trainer.Run(config, device, progress, checkpoint: checkpoint);
        Manifest.RecordSweepStart(store, sweepId, "train", "0/1", 1, new[] { config });
        store.Record(result, curve);
        checkpoint.Delete();
        Manifest.RecordSweepEnd(store, sweepId, "complete", 1);
        PrintSummary(result);
        Console.WriteLine($"wrote {store.RunsCsv}, {store.CurvePath(result.RunId)} and {store.ManifestPath}");
        return 0;
    }

    static void PrintSummary(RunResult r)
    {
        string F(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
        Console.WriteLine($"""
            params (non-embedding) {r.Params:N0}
            initial loss  {F(r.InitialLoss)}    final eval loss {F(r.FinalEvalLoss)}    final train loss {F(r.FinalTrainLoss)}
            max attention logit {F(r.MaxAttnLogit)} (block 0: {F(r.MaxAttnLogitBlock0)})    output logit mean {F(r.FinalOutputLogitMean)}    log Z {F(r.FinalLogZ)}
            head ‖μ‖ {F(r.InitialHeadMuNorm)} -> {F(r.FinalHeadMuNorm)}    ‖mean final hidden‖ {F(r.FinalHiddenMeanNorm)}    final LN gain RMS {F(r.FinalLnGainRms)}
            diverged {(r.Diverged ? $"YES{(r.DivergedStep >= 0 ? $" (non-finite at step {r.DivergedStep})" : " (final loss above initial)")}" : "no")}    {F(r.MsPerStep)} ms/step, {F(r.WallSeconds)} s in all
            """);
    }
}
