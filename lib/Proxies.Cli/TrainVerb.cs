using System.Globalization;
using Proxies.Model;
using Proxies.Optimization;
using Proxies.Results;
using Proxies.Runtime;
using Proxies.Training;

namespace Proxies.Cli;

/// <summary>`train`: one run of the paper's model with any of its switches; writes runs.csv and a curve.</summary>
public static class TrainVerb
{
    public const string Help = """
        train: train one model and record its probes.
          --width N (64)  --depth N (2)  --heads N (2)  --head-dim N (width/heads)  --seq-len N (64)
          --batch-size N (32)  --steps N (300)  --lr X (1e-2)  --warmup-steps N (10% of steps)  --min-lr X (1e-5)
          --qk-layernorm on|off (on)  --z-loss X (1e-4)  --weight-decay X (1e-4)  --wd-mode independent|coupled
          --eps X (1e-8)  --beta1 X (0.9)  --beta2 X (0.95)  --clip X (1)
          --mu-param off|simple|intermediate|full  --mu-base-width N (256)  --mu-head scaled|base
          --optimizer adamw|sgd  --mu-centering on|off  --mu-loss X (0)  --logit-softcap C (0: off)
          --tie-head on|off  --final-ln-gain learned|fixed  --precision fp32|bf16 (bf16: head and logits rounded)
          --gelu tanh|exact (tanh; exact is faster on CPUs)  --matmul fp32|bf16 (bf16: bf16 autocast of every linear layer)
          --seed N (0)  --data FILE (data/brown.txt.gz)  --vocab bytes|words:N|bpe:N|FILE (bytes)  --probe-every N (1)  --eval-every N (0: start and end)
          --device auto|cpu|cuda  --threads N  --out DIR (runs/train)
        Writes DIR/runs.csv (one row per run) and DIR/curves/<run_id>.csv (per-step probes).
        """;

    static readonly HashSet<string> Switches = new();

    /// <summary>--matmul fp32|bf16, shared by the verbs that train.</summary>
    public static MatmulPrecision ReadMatmul(CommandLine cl, MatmulPrecision fallback) =>
        cl.Choice("--matmul", fallback, MatmulPrecisions.Choices);

    /// <summary>The model and optimizer flags shared by every verb that builds a config.</summary>
    public static TrainConfig ReadConfig(CommandLine cl, TrainConfig defaults)
    {
        var m = defaults.Model;
        int width = cl.Int("--width", m.Width);
        int heads = cl.Int("--heads", m.Heads);
        if (cl.Has("--head-dim"))
        {
            int headDim = cl.Int("--head-dim", 0);
            if (headDim < 1) throw new UsageException($"--head-dim {headDim}: must be at least 1");
            if (cl.Has("--heads") && heads * headDim != width)
                throw new UsageException($"--head-dim {headDim}: --heads {heads} × --head-dim {headDim} must equal --width {width}");
            if (width % headDim != 0) throw new UsageException($"--head-dim {headDim}: must divide --width {width}");
            heads = width / headDim;
        }
        int steps = cl.Int("--steps", defaults.Steps);
        var model = m with
        {
            Width = width,
            Depth = cl.Int("--depth", m.Depth),
            Heads = heads,
            SeqLen = cl.Int("--seq-len", m.SeqLen),
            QkLayerNorm = cl.OnOff("--qk-layernorm", m.QkLayerNorm),
            MuParam = cl.Choice("--mu-param", m.MuParam, ("off", MuParam.Off), ("simple", MuParam.Simple),
                ("intermediate", MuParam.Intermediate), ("full", MuParam.Full)),
            MuParamBaseWidth = cl.Int("--mu-base-width", m.MuParamBaseWidth),
            MuParamScaleHead = cl.Choice("--mu-head", m.MuParamScaleHead, ("scaled", true), ("base", false)),
            TieHead = cl.OnOff("--tie-head", m.TieHead),
            FinalLnGain = cl.Choice("--final-ln-gain", m.FinalLnGain, ("learned", FinalLnGain.Learned), ("fixed", FinalLnGain.Fixed)),
            LogitSoftcap = cl.Double("--logit-softcap", m.LogitSoftcap),
            Precision = cl.Choice("--precision", m.Precision, ("fp32", Precision.Fp32), ("bf16", Precision.Bf16)),
            Gelu = cl.Choice("--gelu", m.Gelu, ("tanh", GeluKind.Tanh), ("exact", GeluKind.Exact)),
            Matmul = ReadMatmul(cl, m.Matmul),
        };
        return defaults with
        {
            Model = model,
            BatchSize = cl.Int("--batch-size", defaults.BatchSize),
            Steps = steps,
            WarmupSteps = cl.Int("--warmup-steps", cl.Has("--steps") ? steps / 10 : defaults.WarmupSteps),
            Lr = cl.Double("--lr", defaults.Lr),
            MinLr = cl.Double("--min-lr", defaults.MinLr),
            ZLoss = cl.Double("--z-loss", defaults.ZLoss),
            Optimizer = cl.Choice("--optimizer", defaults.Optimizer, ("adamw", OptimizerKind.AdamW), ("sgd", OptimizerKind.Sgd)),
            MuCentering = cl.OnOff("--mu-centering", defaults.MuCentering),
            MuLoss = cl.Double("--mu-loss", defaults.MuLoss),
            WeightDecay = cl.Double("--weight-decay", defaults.WeightDecay),
            WdMode = cl.Choice("--wd-mode", defaults.WdMode, ("independent", WeightDecayMode.Independent), ("coupled", WeightDecayMode.Coupled)),
            Eps = cl.Double("--eps", defaults.Eps),
            Beta1 = cl.Double("--beta1", defaults.Beta1),
            Beta2 = cl.Double("--beta2", defaults.Beta2),
            ClipNorm = cl.Double("--clip", defaults.ClipNorm),
            Seed = cl.Int("--seed", defaults.Seed),
            Data = cl.String("--data") ?? defaults.Data,
            Vocab = cl.String("--vocab") ?? defaults.Vocab,
            ProbeEvery = cl.Int("--probe-every", defaults.ProbeEvery),
            EvalEvery = cl.Int("--eval-every", defaults.EvalEvery),
        };
    }

    /// <summary>--device and --threads, checked before libtorch starts.</summary>
    public static (string Device, int? Threads) ReadRuntime(CommandLine cl)
    {
        string device = cl.Choice("--device", "auto", ("auto", "auto"), ("cpu", "cpu"), ("cuda", "cuda"));
        int? threads = cl.Has("--threads") ? cl.Int("--threads", 0) : null;
        if (threads is < 1 or > 1024) throw new UsageException($"--threads {threads}: must be an integer from 1 to 1024");
        return (device, threads);
    }

    public static int Run(string[] args)
    {
        var cl = new CommandLine(args, Switches);
        var config = ReadConfig(cl, new TrainConfig());
        var (deviceName, threads) = ReadRuntime(cl);
        string outDir = cl.String("--out") ?? Path.Combine("runs", "train");
        cl.RejectUnknown("train");
        if (cl.Positional.Count > 0) throw new UsageException($"train takes no positional arguments, got '{cl.Positional[0]}'");
        ConfigValidation.Ensure(config);

        TorchRuntime.Start(threads);
        var device = TorchRuntime.ResolveDevice(deviceName);
        var m = config.Model;
        Console.WriteLine($"train {config.RunId}: d {m.Width}, {m.Depth} layers, {m.Heads} heads, seq {m.SeqLen}, batch {config.BatchSize}, " +
                          $"{config.Steps} steps, lr {config.Lr:G3}, qk-LN {(m.QkLayerNorm ? "on" : "off")}, z-loss {config.ZLoss:G3}, on {device.type}");
        var bar = new ProgressBar("train", config.Steps);
        var progress = new CallbackProgress<TrainProgress>(p =>
            bar.Update(p.Step + 1, $"loss {p.Loss:F3} max-logit {p.MaxAttnLogit:G3}"));
        var store = new ResultsStore(outDir);
        OutputFolder.EnsureWritable(store.Folder);
        var sweepId = Manifest.NewSweepId();
        var (result, curve) = Trainer.Run(config, device, progress);
        Manifest.RecordSweepStart(store, sweepId, "train", "0/1", 1, new[] { config });
        store.Record(result, curve);
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
