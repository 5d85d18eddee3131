using System.Diagnostics;
using Proxies.Data;
using Proxies.Losses;
using Proxies.Model;
using Proxies.Optimization;
using Proxies.Probes;
using Proxies.Runtime;
using static TorchSharp.torch;

namespace Proxies.Training;

/// <summary>
/// The training loop, a straight line: data, model, optimizer, then per step forward → loss → backward →
/// clip → optimizer (→ μ-centering), with probes every <see cref="TrainConfig.ProbeEvery"/> steps. Divergence is
/// a result: the run stops at the first step whose loss, gradient norm or log Z is not finite and is recorded as
/// diverged at that step; a final held-out loss above the initial loss also counts as diverged (the paper's rule).
/// </summary>
public static class Trainer
{
    /// <param name="afterStep">Called after each optimizer step with the step index and the model (to save or probe a
    /// checkpoint, or to experiment on the trained model at the last step); it must leave the model as it found it if
    /// training is to go on.</param>
    /// <param name="startFrom">Sets the model's weights before training (fine-tuning from a checkpoint); the optimizer
    /// starts fresh.</param>
    /// <param name="checkpoint">Where the run saves its state every few steps and, when a saved state is there, goes on
    /// from it (<see cref="RunCheckpoint"/>); the caller deletes it once the run is recorded.</param>
    public static (RunResult Result, Curve Curve) Run(TrainConfig config, Device? device = null,
        IProgress<TrainProgress>? progress = null, CancellationToken cancel = default, Action<int, Transformer>? afterStep = null,
        Action<Transformer>? startFrom = null, RunCheckpoint? checkpoint = null)
    {
        ConfigValidation.Ensure(config);
        TorchRuntime.Start();
        device ??= CPU;
        // A run labelled fused that ran libtorch's kernels would file its results under the wrong numerics.
        if (config.Model.FusedKernels && Model.Fused.Kernels.CannotRun(device.type) is { } why)
            throw new InvalidConfigException([new ConfigError("--attention/--gelu", $"{ConfigSwitches.Find("--attention").Show(config)}/{ConfigSwitches.Find("--gelu").Show(config)}",
                $"the fused kernels cannot run: {why}; use --attention sdpa --gelu tanh (or drop --fused-kernels)")]);
        var streams = TokenStreams.Load(config.Data ?? TextCorpus.DefaultPath, config.Vocab);
        var modelConfig = config.Model with { Vocab = streams.Vocab };
        var clock = Stopwatch.StartNew();

        // A generator of the run's own, not the global one: runs side by side in one process (tests, notebooks)
        // must not draw from each other's stream. Seeded alike, it yields what manual_seed(seed) would.
        using var generator = new Generator((ulong)config.Seed);
        using var model = new Transformer(modelConfig, device, generator);
        startFrom?.Invoke(model);
        var groups = MuParamGroups.Build(model);
        using IOptimizer optimizer = config.Optimizer == OptimizerKind.Sgd
            ? new Sgd(groups, config.WeightDecay, config.WdMode)
            : new AdamW(groups, config.Beta1, config.Beta2, config.Eps, config.WeightDecay, config.WdMode) { RatioHistogram = config.RatioHistogram };
        var sampler = new BatchSampler(streams.Train, config.BatchSize, modelConfig.SeqLen, config.Seed);
        var schedule = config.Schedule;
        var curve = new Curve();
        var parameters = groups.Select(g => (Tensor)g.Parameter).ToList();

        using var restart = config.SpikeRestart > 0 ? new SpikeRestart(config, groups, optimizer) : null;
        if (restart is not null) checkpoint = null;   // its rewind points live in memory only (see RunCheckpoint)
        var initial = new Dictionary<string, double>();
        var resumed = checkpoint?.Restore(config.RunId, groups, optimizer, sampler, curve, initial);
        if (resumed is null)
        {
            initial[RunSummary.Initial(RunSummary.EvalLoss)] = EvalLoss(model, streams, config, device);
            initial[RunSummary.Initial(OutputStatistics.HeadMuNorm)] = OutputStatistics.MuNorm(model.HeadWeight);
        }
        int divergedStep = -1, stepsDone = resumed?.StepsDone ?? 0;
        double wallBefore = resumed?.WallSeconds ?? 0, trainBefore = resumed?.TrainSeconds ?? 0;
        var trainClock = Stopwatch.StartNew();

        for (int step = resumed?.NextStep ?? 0; step < config.Steps; step++)
        {
            cancel.ThrowIfCancellationRequested();
            bool probing = step % config.ProbeEvery == 0 || step == config.Steps - 1;
            using var scope = NewDisposeScope();
            var (inputs, targets) = sampler.Next(device);
            var attention = probing ? new ForwardProbe() : null;
            var logits = model.Forward(inputs, attention);
            var loss = LanguageModelLoss.Compute(logits, targets, config.ZLoss);
            var total = config.MuLoss > 0 ? loss.Total + OutputLogitFixes.MuLoss(model.HeadWeight, config.MuLoss) : loss.Total;
            optimizer.ZeroGrad();
            total.backward();

            Tensor[]? gradRms = probing ? groups.Select(g => LayerStatistics.Rms(g.Parameter.grad!)).ToArray() : null;
            var gradNorm = GradientClipping.ClipGlobalNorm(parameters, config.ClipNorm);
            var updates = probing ? new Tensor[groups.Count] : null;
            optimizer.Step(config.Lr, schedule.Multiplier(step), updates);
            if (config.MuCentering) OutputLogitFixes.CenterHead(model.HeadWeight);
            stepsDone++;
            afterStep?.Invoke(step, model);

            // Between probes only the loss and gradient norm are read (one small transfer), so divergence is caught at
            // the step it happens; on probe steps every probe's named values come in one transfer (metrics as data).
            var scalars = new Scalars().Add(GradientClipping.GradNorm, gradNorm);
            if (probing)
                scalars.Add(loss.Statistics())
                    .Add(OutputStatistics.Collect(model, attention!.FinalHiddenMean!))
                    .Add(attention.Scalars())
                    .Add(LayerStatistics.Collect(groups, gradRms!, updates!))
                    .Add(optimizer.Statistics(updates!));
            else
                scalars.Add(RunSummary.Loss, loss.CrossEntropy);
            var read = scalars.Read();
            if (restart?.After(step, read[RunSummary.Loss]) is int rewoundTo)
            {
                curve.Add(new Dictionary<string, double>
                    { ["step"] = step, ["lr"] = schedule.LearningRate(step), [RunSummary.Loss] = read[RunSummary.Loss], [SpikeRestart.RewoundTo] = rewoundTo });
                sampler.Skip(config.RestartSkip);
                step = rewoundTo - 1;
                continue;
            }
            bool finite = new[] { RunSummary.Loss, GradientClipping.GradNorm, LossTerms.LogZName }
                .All(name => !read.TryGetValue(name, out var v) || double.IsFinite(v));
            if (probing || !finite)   // nothing recorded between probes unless the run diverged
            {
                var values = new Dictionary<string, double> { ["step"] = step, ["lr"] = schedule.LearningRate(step) };
                foreach (var (name, value) in read) values[name] = value;

                if (probing && config.EvalEvery > 0 && step > 0 && step % config.EvalEvery == 0)
                    values[RunSummary.EvalLoss] = EvalLoss(model, streams, config, device);
                curve.Add(values);
                if (probing)
                    progress?.Report(new TrainProgress(step, config.Steps, values[RunSummary.Loss], values[ForwardProbe.MaxLogit], wallBefore + clock.Elapsed.TotalSeconds));
                if (!finite)
                {
                    divergedStep = step;
                    break;
                }
            }
            if (checkpoint?.Due(step, config.Steps) == true)
                checkpoint.Save(config.RunId, step + 1, stepsDone, wallBefore + clock.Elapsed.TotalSeconds, trainBefore + trainClock.Elapsed.TotalSeconds,
                    groups, optimizer, sampler.WindowsDrawn, curve, initial);
        }
        double trainSeconds = trainBefore + trainClock.Elapsed.TotalSeconds;

        double finalEval = divergedStep >= 0 ? double.NaN : EvalLoss(model, streams, config, device);
        if (curve.Count > 0 && divergedStep < 0) curve.SetLast(RunSummary.EvalLoss, finalEval);
        var result = new RunResult
        {
            RunId = config.RunId,
            Config = config,
            Values = RunSummary.Of(config, curve, initial, finalEval, divergedStep, stepsDone, modelConfig.NonEmbeddingParams, modelConfig.Vocab,
                wallBefore + clock.Elapsed.TotalSeconds, 1000 * trainSeconds / Math.Max(1, stepsDone)),
        };
        return (result, curve);
    }

    /// <summary>Mean cross-entropy over the fixed held-out batches.</summary>
    public static double EvalLoss(Transformer model, TokenStreams streams, TrainConfig config, Device device)
    {
        using var _ = no_grad();
        double sum = 0;
        int n = 0;
        foreach (var (inputs, targets) in BatchSampler.EvalBatches(streams.Eval, config.EvalBatches, config.BatchSize, model.Config.SeqLen, device))
        {
            using var scope = NewDisposeScope();
            sum += LanguageModelLoss.Compute(model.Forward(inputs), targets, 0).CrossEntropy.item<float>();
            n++;
        }
        return sum / n;
    }
}
