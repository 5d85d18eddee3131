using System.Diagnostics;
using Proxies.Model;
using Proxies.Training;
using static TorchSharp.torch;

namespace Proxies.Benchmarks;

/// <summary>One configuration's measured speed.</summary>
public sealed record StepTiming(string Name, TrainConfig Config, double MsPerStep, double MsPerStepProbed, double GemmGflops,
    double StepGemmMs)
{
    public double TokensPerSecond => Config.BatchSize * Config.Model.SeqLen / (MsPerStep / 1000);
    public double Gflops => Flops.PerStep(Config.Model, Config.BatchSize) / (MsPerStep / 1000) / 1e9;
    public double Mfu => Gflops / GemmGflops;
    /// <summary>ms/step with every probe every step over ms/step with probes off.</summary>
    public double ProbeOverhead => MsPerStepProbed / MsPerStep;
    /// <summary>The step's weight GEMMs timed alone over the whole step (<see cref="StepGemms"/>): 1 would mean every
    /// other part of the step is free.</summary>
    public double GemmShare => StepGemmMs / MsPerStep;
    /// <summary>GFLOP/s of the step's weight GEMMs timed alone, at the model's shapes.</summary>
    public double StepGemmGflops => StepGemms.FlopsPerStep(Config.Model, Config.BatchSize) / (StepGemmMs / 1000) / 1e9;
}

/// <summary>Times training steps of the real loop (data, forward, loss, backward, clip, AdamW), excluding start-up:
/// the clock runs from the end of step 0 to the end of the last step.</summary>
public static class StepBenchmark
{
    public static readonly (string Name, int Width, int Depth, int SeqLen, int BatchSize)[] Standard =
    {
        ("d64", 64, 2, 64, 32), ("d128", 128, 4, 128, 32), ("d256", 256, 4, 128, 32),
    };

    public static TrainConfig ConfigFor(int width, int depth, int seqLen, int batchSize, int steps,
        MatmulPrecision matmul = MatmulPrecision.Fp32) => new()
    {
        Model = new ModelConfig { Width = width, Depth = depth, Heads = width / 32, SeqLen = seqLen, Matmul = matmul },
        BatchSize = batchSize, Steps = steps, WarmupSteps = 1, Lr = 1e-3, EvalBatches = 1, Experiment = "bench",
    };

    /// <summary>ms per step over steps 1..N−1, probing only the first and last step, or every step.</summary>
    public static double MsPerStep(TrainConfig config, bool probeEveryStep, Device device)
    {
        var c = config with { ProbeEvery = probeEveryStep ? 1 : config.Steps };
        double first = double.NaN, last = double.NaN;
        var progress = new CallbackProgress<TrainProgress>(p =>
        {
            if (p.Step == 0) first = p.ElapsedSeconds;
            if (p.Step == c.Steps - 1) last = p.ElapsedSeconds;
        });
        Trainer.Run(c, device, progress);
        return 1000 * (last - first) / (c.Steps - 1);
    }

    public static StepTiming Measure(string name, TrainConfig config, double gemmGflops, Device device) =>
        new(name, config, MsPerStep(config, false, device), MsPerStep(config, true, device), gemmGflops,
            StepGemms.Ms(config.Model, config.BatchSize, device));

}
