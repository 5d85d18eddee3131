using System.Diagnostics;
using Proxies.Data;
using Proxies.Model;
using Proxies.Optimization;
using Proxies.Probes;
using static TorchSharp.torch;

namespace Proxies.Training;

/// <summary>
/// Everything a run is in the middle of training: the model and its parameter groups, the optimizer and its moments,
/// the batch sampler's place in the token stream, the next step, the curve so far, the values measured at
/// initialisation, and the clocks. <see cref="TrainStep"/> advances it by one step; hooks (<see cref="ITrainingHook"/>)
/// read and change it; <see cref="Snapshot"/> and <see cref="Restore"/> are how a run is rewound (skip-and-restart) or
/// saved and resumed (<see cref="RunCheckpoint"/>).
/// </summary>
public sealed class TrainState : IDisposable
{
    public TrainConfig Config { get; }
    public Device Device { get; }
    public TokenStreams Streams { get; }
    public Transformer Model { get; }
    public IReadOnlyList<ParameterGroup> Groups { get; }
    /// <summary>The groups' parameters, in group order (gradient clipping's global norm sums over them in this order).</summary>
    public IReadOnlyList<Tensor> Parameters { get; }
    public IOptimizer Optimizer { get; }
    public BatchSampler Sampler { get; }
    public Schedule Schedule { get; }
    public Curve Curve { get; } = new();
    /// <summary>initial:… values, measured before the first step (<see cref="RunSummary.Initial"/>).</summary>
    public Dictionary<string, double> Initial { get; } = new();

    /// <summary>The step to take next: 0 before training, <see cref="TrainConfig.Steps"/> when done.</summary>
    public int Step { get; set; }
    /// <summary>Optimizer steps taken, including those a skip-and-restart undid.</summary>
    public int StepsDone { get; set; }
    /// <summary>The step at which a loss, gradient norm or log Z was not finite; -1 while none was.</summary>
    public int DivergedStep { get; set; } = -1;

    readonly Generator generator;
    readonly Stopwatch wall;
    readonly Stopwatch training = new();
    double wallBefore, trainingBefore;

    /// <summary>Builds the run's data, model (seeded by the run's own generator), groups, optimizer and sampler.</summary>
    /// <param name="startFrom">Sets the model's weights before training (fine-tuning from a checkpoint); the optimizer starts fresh.</param>
    public TrainState(TrainConfig config, Device device, Action<Transformer>? startFrom = null)
    {
        Config = config;
        Schedule = config.Schedule;   // once, not a new record at every step
        Device = device;
        Streams = TokenStreams.Load(config.Data ?? TextCorpus.DefaultPath, config.Vocab);
        wall = Stopwatch.StartNew();   // a run's wall time starts after its data is loaded (tokenizing a corpus is not training)
        // A generator of the run's own, not the global one: runs side by side in one process (tests, notebooks)
        // must not draw from each other's stream. Seeded alike, it yields what manual_seed(seed) would.
        generator = new Generator((ulong)config.Seed);
        try
        {
            Model = new Transformer(config.Model with { Vocab = Streams.Vocab }, device, generator);
            startFrom?.Invoke(Model);
            Groups = MuParamGroups.Build(Model);
            Parameters = Groups.Select(g => (Tensor)g.Parameter).ToList();
            Optimizer = config.Optimizer switch
            {
                OptimizerKind.Sgd => new Sgd(Groups, config.WeightDecay, config.WdMode),
                OptimizerKind.Muon => new Muon(Groups, config.Beta1, config.Beta2, config.Eps, config.WeightDecay, config.WdMode),
                _ => new AdamW(Groups, config.Beta1, config.Beta2, config.Eps, config.WeightDecay, config.WdMode) { Atan2 = config.Optimizer == OptimizerKind.AdamAtan2, SpikeClip = config.SpikeClip },
            };
            Sampler = new BatchSampler(Streams.Train, config.BatchSize, Model.Config.SeqLen, config.Seed);
        }
        catch
        {
            Optimizer?.Dispose();
            Model?.Dispose();
            generator.Dispose();
            throw;
        }
    }

    /// <summary>Seconds since the run began, over every sitting of a resumed run.</summary>
    public double WallSeconds => wallBefore + wall.Elapsed.TotalSeconds;
    /// <summary>Seconds spent in the training loop (not the initial evaluation), over every sitting.</summary>
    public double TrainSeconds => trainingBefore + training.Elapsed.TotalSeconds;

    /// <summary>Starts the training clock.</summary>
    public void StartTraining() => training.Start();

    /// <summary>A resumed run goes on counting from the times its checkpoint recorded.</summary>
    public void ContinueClocks(double wallSeconds, double trainSeconds) => (wallBefore, trainingBefore) = (wallSeconds, trainSeconds);

    /// <summary>A copy of the weights, the optimizer's state and the next step (the sampler, curve and clocks go on).</summary>
    public StateSnapshot Snapshot() => new(Step, new WeightSnapshot(Groups), Optimizer.Save());

    /// <summary>Sets the weights, the optimizer's state and the next step back to <paramref name="snapshot"/>.</summary>
    public void Restore(StateSnapshot snapshot)
    {
        snapshot.Weights.CopyInto(Groups);
        Optimizer.Restore(snapshot.Optimizer);
        Step = snapshot.NextStep;
    }

    /// <summary>Mean cross-entropy over the fixed held-out batches.</summary>
    public double EvalLoss() => Trainer.EvalLoss(Model, Streams, Config, Device);

    public void Dispose()
    {
        Optimizer.Dispose();
        Model.Dispose();
        generator.Dispose();
    }
}

/// <summary>A run's weights, optimizer state and next step, outside any dispose scope.</summary>
public sealed record StateSnapshot(int NextStep, WeightSnapshot Weights, OptimizerState Optimizer) : IDisposable
{
    /// <summary>Every tensor of the snapshot: the weights in group order, then the optimizer's state tensors.</summary>
    public IEnumerable<Tensor> Tensors => Weights.Tensors.Concat(Optimizer.Tensors);

    public void Dispose()
    {
        Weights.Dispose();
        Optimizer.Dispose();
    }
}
