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
/// clip → AdamW, with probes every <see cref="TrainConfig.ProbeEvery"/> steps. Divergence is a result:
/// the run stops at the first step whose loss, gradient norm or log Z is not finite and is recorded as diverged
/// at that step; a final held-out loss above the initial loss also counts as diverged (the paper's rule).
/// </summary>
public static class Trainer
{
    public static (RunResult Result, Curve Curve) Run(TrainConfig config, Device? device = null,
        IProgress<TrainProgress>? progress = null, CancellationToken cancel = default)
    {
        ConfigValidation.Ensure(config);
        TorchRuntime.Start();
        device ??= CPU;
        var streams = TokenStreams.Load(config.Data ?? TextCorpus.DefaultPath, config.Vocab);
        var modelConfig = config.Model with { Vocab = streams.Vocab };
        var clock = Stopwatch.StartNew();

        manual_seed(config.Seed);
        using var model = new Transformer(modelConfig, device);
        var groups = MuParamGroups.Build(model);
        using var optimizer = new AdamW(groups, config.Beta1, config.Beta2, config.Eps, config.WeightDecay, config.WdMode);
        var sampler = new BatchSampler(streams.Train, config.BatchSize, modelConfig.SeqLen, config.Seed);
        var schedule = config.Schedule;
        var curve = new Curve(CurveColumns(modelConfig.Depth, groups));
        var parameters = groups.Select(g => (Tensor)g.Parameter).ToList();

        double initialLoss = EvalLoss(model, streams, config, device);
        double lastLoss = double.NaN, lastEval = double.NaN, maxLogit = double.NegativeInfinity, maxLogit0 = double.NegativeInfinity;
        double lastLogitMean = double.NaN, lastLogZ = double.NaN;
        int divergedStep = -1, stepsDone = 0;
        var trainClock = Stopwatch.StartNew();

        for (int step = 0; step < config.Steps; step++)
        {
            cancel.ThrowIfCancellationRequested();
            bool probing = step % config.ProbeEvery == 0 || step == config.Steps - 1;
            using var scope = NewDisposeScope();
            var (inputs, targets) = sampler.Next(device);
            var attention = probing ? new AttentionProbe() : null;
            var logits = model.Forward(inputs, attention);
            var loss = LanguageModelLoss.Compute(logits, targets, config.ZLoss);
            optimizer.ZeroGrad();
            loss.Total.backward();

            Tensor[]? gradRms = probing ? groups.Select(g => LayerStatistics.Rms(g.Parameter.grad!)).ToArray() : null;
            var gradNorm = GradientClipping.ClipGlobalNorm(parameters, config.ClipNorm);
            var updates = probing ? new Tensor[groups.Count] : null;
            optimizer.Step(config.Lr, schedule.Multiplier(step), updates);
            stepsDone = step + 1;
            if (!probing)
            {
                // Between probes only the loss and gradient norm are read (one small transfer), so divergence is
                // caught at the step it happens.
                var check = stack(new[] { loss.CrossEntropy, gradNorm }).to(float64).cpu().data<double>().ToArray();
                if (double.IsFinite(check[0]) && double.IsFinite(check[1])) continue;
                var last = curve.NewRow();
                (last[0], last[1], last[2], last[4]) = (step, schedule.LearningRate(step), check[0], check[1]);
                lastLoss = check[0];
                divergedStep = step;
                break;
            }

            // One transfer for every scalar of the step.
            var scalars = cat(new[]
            {
                stack(new[] { loss.CrossEntropy, loss.ZLoss, gradNorm, loss.MeanLogit, loss.MeanLogZ }),
                attention!.Stacked().flatten(),
                LayerStatistics.Collect(groups, gradRms!, updates!),
            }).to(float64).cpu().data<double>().ToArray();

            var row = curve.NewRow();
            row[0] = step; row[1] = schedule.LearningRate(step);
            Array.Copy(scalars, 0, row, 2, 5);                      // loss, z_loss, grad_norm, logit mean, log Z
            int blocks = modelConfig.Depth;
            double stepMax = double.NegativeInfinity;
            for (int b = 0; b < blocks; b++)
            {
                Array.Copy(scalars, 5 + 4 * b, row, AttentionColumn0 + 4 * b, 4);
                stepMax = Math.Max(stepMax, scalars[5 + 4 * b]);
            }
            row[7] = stepMax;
            Array.Copy(scalars, 5 + 4 * blocks, row, AttentionColumn0 + 4 * blocks + 1, scalars.Length - 5 - 4 * blocks);

            lastLoss = scalars[0]; lastLogitMean = scalars[3]; lastLogZ = scalars[4];
            maxLogit = Math.Max(maxLogit, stepMax); maxLogit0 = Math.Max(maxLogit0, scalars[5]);
            bool evalNow = config.EvalEvery > 0 && step > 0 && step % config.EvalEvery == 0;
            if (evalNow) row[AttentionColumn0 + 4 * blocks] = lastEval = EvalLoss(model, streams, config, device);
            progress?.Report(new TrainProgress(step, config.Steps, lastLoss, stepMax, clock.Elapsed.TotalSeconds));

            if (!double.IsFinite(lastLoss) || !double.IsFinite(scalars[2]) || !double.IsFinite(lastLogZ))
            {
                divergedStep = step;
                break;
            }
        }
        double trainSeconds = trainClock.Elapsed.TotalSeconds;

        double finalEval = divergedStep >= 0 ? double.NaN : EvalLoss(model, streams, config, device);
        if (curve.Rows.Count > 0 && divergedStep < 0) curve.Rows[^1][AttentionColumn0 + 4 * modelConfig.Depth] = finalEval;
        var result = new RunResult
        {
            RunId = config.RunId,
            Config = config with { Model = modelConfig },
            Params = modelConfig.NonEmbeddingParams,
            InitialLoss = initialLoss,
            FinalTrainLoss = lastLoss,
            FinalEvalLoss = finalEval,
            Diverged = divergedStep >= 0 || !(finalEval <= initialLoss),
            DivergedStep = divergedStep,
            StepsDone = stepsDone,
            MaxAttnLogit = maxLogit,
            MaxAttnLogitBlock0 = maxLogit0,
            FinalOutputLogitMean = lastLogitMean,
            FinalLogZ = lastLogZ,
            WallSeconds = clock.Elapsed.TotalSeconds,
            MsPerStep = 1000 * trainSeconds / Math.Max(1, stepsDone),
        };
        return (result, curve);
    }

    const int AttentionColumn0 = 8;

    /// <summary>step, lr, loss, z_loss, grad_norm, output_logit_mean, log_z, max_attn_logit, then per block
    /// (max logit, ‖q‖, ‖k‖, cosine at the max), eval_loss, then per-layer grad/param/update RMS.</summary>
    public static IEnumerable<string> CurveColumns(int depth, IReadOnlyList<ParameterGroup> groups) =>
        new[] { "step", "lr", "loss", "z_loss", "grad_norm", "output_logit_mean", "log_z", "max_attn_logit" }
            .Concat(Enumerable.Range(0, depth).SelectMany(b => new[]
                { $"attn_logit_max/{b}", $"attn_q_norm/{b}", $"attn_k_norm/{b}", $"attn_cos/{b}" }))
            .Append("eval_loss")
            .Concat(LayerStatistics.Names(groups));

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
