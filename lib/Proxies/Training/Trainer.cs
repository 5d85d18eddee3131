using Proxies.Data;
using Proxies.Losses;
using Proxies.Model;
using Proxies.Optimization;
using Proxies.Probes;
using Proxies.Runtime;
using static TorchSharp.torch;

namespace Proxies.Training;

/// <summary>
/// The training loop: a <see cref="TrainState"/>, the run's hooks (<see cref="Hooks"/>), and one
/// <see cref="TrainStep"/> after another. Divergence is a result: the run stops at the first step whose loss, gradient
/// norm or log Z is not finite and is recorded as diverged at that step; a final held-out loss above the initial loss
/// also counts as diverged (the paper's rule).
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

        using var state = new TrainState(config, device, startFrom);
        var hooks = Hooks(config, afterStep, checkpoint);
        try
        {
            foreach (var hook in hooks) hook.Start(state);
            if (state.Initial.Count == 0)
            {
                state.Initial[RunSummary.Initial(RunSummary.EvalLoss)] = state.EvalLoss();
                state.Initial[RunSummary.Initial(OutputStatistics.HeadMuNorm)] = OutputStatistics.MuNorm(state.Model.HeadWeight);
            }
            state.StartTraining();
            while (state.Step < config.Steps)
            {
                cancel.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var (step, read) = TrainStep.Take(state, hooks, state.Sampler.Next(device));
                if (hooks.Any(h => h.Undo(step, read))) continue;
                Record(state, step, read, progress);
                if (state.DivergedStep >= 0) break;
                foreach (var hook in hooks) hook.AfterRecorded(step);
            }
            return Finish(state);
        }
        finally
        {
            foreach (var hook in hooks.OfType<IDisposable>()) hook.Dispose();
        }
    }

    /// <summary>The run's hooks, in the order they act at each point of a step: the loss terms (z-loss, then μ-loss),
    /// the edits after the update (update clipping, which sees the optimizer's update alone; QK-Clip; μ-centering; the caller's action), the probes, then skip-and-restart or
    /// checkpointing. A run that rewinds on spikes is not checkpointed (see <see cref="RunCheckpoint"/>).</summary>
    static IReadOnlyList<ITrainingHook> Hooks(TrainConfig config, Action<int, Transformer>? afterStep, RunCheckpoint? checkpoint)
    {
        var restart = Training.Hooks.SpikeRestart.For(config);
        return new ITrainingHook?[]
        {
            Training.Hooks.ZLoss.For(config), Training.Hooks.MuLoss.For(config),
            Training.Hooks.UpdateClipping.For(config), Training.Hooks.QkClip.For(config), Training.Hooks.MuCentering.For(config),
            afterStep is null ? null : new Training.Hooks.AfterStep(afterStep),
            new Training.Hooks.StandardProbes(), Training.Hooks.RatioHistogram.For(config), Training.Hooks.SignAgreement.For(config),
            restart, restart is null ? checkpoint : null,
        }.OfType<ITrainingHook>().ToList();
    }

    /// <summary>Adds a probe step's values to the curve (with the held-out loss when due) and reports progress; between
    /// probes nothing is recorded unless the step diverged, which ends the run.</summary>
    static void Record(TrainState state, StepContext step, Dictionary<string, double> read, IProgress<TrainProgress>? progress)
    {
        var config = state.Config;
        bool finite = new[] { RunSummary.Loss, GradientClipping.GradNorm, LossTerms.LogZName }
            .All(name => !read.TryGetValue(name, out var v) || double.IsFinite(v));
        if (!step.Probing && finite) return;
        var values = new Dictionary<string, double> { ["step"] = step.Step, ["lr"] = state.Schedule.LearningRate(step.Step) };
        foreach (var (name, value) in read) values[name] = value;
        if (step.Probing && config.EvalEvery > 0 && step.Step > 0 && step.Step % config.EvalEvery == 0)
            values[RunSummary.EvalLoss] = state.EvalLoss();
        state.Curve.Add(values);
        if (step.Probing)
            progress?.Report(new TrainProgress(step.Step, config.Steps, values[RunSummary.Loss], values[ForwardProbe.MaxLogit], state.WallSeconds));
        if (!finite) state.DivergedStep = step.Step;
    }

    /// <summary>The final held-out loss and the run's summary.</summary>
    static (RunResult, Curve) Finish(TrainState state)
    {
        double trainSeconds = state.TrainSeconds;
        bool diverged = state.DivergedStep >= 0;
        double finalEval = diverged ? double.NaN : state.EvalLoss();
        if (state.Curve.Count > 0 && !diverged) state.Curve.SetLast(RunSummary.EvalLoss, finalEval);
        var model = state.Model.Config;
        var result = new RunResult
        {
            RunId = state.Config.RunId,
            Config = state.Config,
            Values = RunSummary.Of(state.Config, state.Curve, state.Initial, finalEval, state.DivergedStep, state.StepsDone, model.NonEmbeddingParams,
                model.Vocab, state.WallSeconds, 1000 * trainSeconds / Math.Max(1, state.StepsDone)),
        };
        return (result, state.Curve);
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
            sum += LanguageModelLoss.Compute(model.Forward(inputs), targets).CrossEntropy.item<float>();
            n++;
        }
        return sum / n;
    }
}
