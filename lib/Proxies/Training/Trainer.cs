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
    public static (RunResult Result, Curve Curve) Run(TrainConfig config, Device? device = null,
        IProgress<TrainProgress>? progress = null, CancellationToken cancel = default)
    {
        ConfigValidation.Ensure(config);
        TorchRuntime.Start();
        device ??= CPU;
        var streams = TokenStreams.Load(config.Data ?? TextCorpus.DefaultPath, config.Vocab);
        var modelConfig = config.Model with { Vocab = streams.Vocab };
        var clock = Stopwatch.StartNew();

        // A generator of the run's own, not the global one: runs side by side in one process (tests, notebooks)
        // must not draw from each other's stream. Seeded alike, it yields what manual_seed(seed) would.
        using var generator = new Generator((ulong)config.Seed);
        using var model = new Transformer(modelConfig, device, generator);
        var groups = MuParamGroups.Build(model);
        using IOptimizer optimizer = config.Optimizer == OptimizerKind.Sgd
            ? new Sgd(groups, config.WeightDecay, config.WdMode)
            : new AdamW(groups, config.Beta1, config.Beta2, config.Eps, config.WeightDecay, config.WdMode);
        var sampler = new BatchSampler(streams.Train, config.BatchSize, modelConfig.SeqLen, config.Seed);
        var schedule = config.Schedule;
        var curve = new Curve(CurveColumns(modelConfig.Depth, groups));
        var scalarNames = ScalarNames(modelConfig.Depth, groups);
        var parameters = groups.Select(g => (Tensor)g.Parameter).ToList();

        double initialLoss = EvalLoss(model, streams, config, device);
        double initialMuNorm = OutputStatistics.MuNorm(model.HeadWeight);
        var last = new Dictionary<string, double>();
        double maxLogit = double.NegativeInfinity, maxLogit0 = double.NegativeInfinity;
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
            var total = config.MuLoss > 0 ? loss.Total + OutputLogitFixes.MuLoss(model.HeadWeight, config.MuLoss) : loss.Total;
            optimizer.ZeroGrad();
            total.backward();

            Tensor[]? gradRms = probing ? groups.Select(g => LayerStatistics.Rms(g.Parameter.grad!)).ToArray() : null;
            var gradNorm = GradientClipping.ClipGlobalNorm(parameters, config.ClipNorm);
            var updates = probing ? new Tensor[groups.Count] : null;
            optimizer.Step(config.Lr, schedule.Multiplier(step), updates);
            if (config.MuCentering) OutputLogitFixes.CenterHead(model.HeadWeight);
            stepsDone = step + 1;

            if (!probing)
            {
                // Between probes only the loss and gradient norm are read (one small transfer), so divergence is
                // caught at the step it happens.
                var check = stack(new[] { loss.CrossEntropy, gradNorm }).to(float64).cpu().data<double>().ToArray();
                if (double.IsFinite(check[0]) && double.IsFinite(check[1])) continue;
                Record(curve, new Dictionary<string, double>
                    { ["step"] = step, ["lr"] = schedule.LearningRate(step), ["loss"] = check[0], ["grad_norm"] = check[1] });
                last["loss"] = check[0];
                divergedStep = step;
                break;
            }

            // One transfer for every scalar of the step, then named values (metrics as data).
            var output = OutputStatistics.Collect(model, attention!.FinalHiddenMean!);
            var scalars = cat(new[]
            {
                stack(new[] { loss.CrossEntropy, loss.ZLoss, gradNorm }),
                loss.Statistics(),
                output,
                attention.Stacked().flatten(),
                LayerStatistics.Collect(groups, gradRms!, updates!),
            }).to(float64).cpu().data<double>().ToArray();
            var values = Name(scalars, scalarNames, modelConfig.Depth);
            values["step"] = step;
            values["lr"] = schedule.LearningRate(step);
            if (config.EvalEvery > 0 && step > 0 && step % config.EvalEvery == 0) values["eval_loss"] = EvalLoss(model, streams, config, device);
            Record(curve, values);
            last = values;
            maxLogit = Math.Max(maxLogit, values["max_attn_logit"]);
            maxLogit0 = Math.Max(maxLogit0, values["attn_logit_max/0"]);
            progress?.Report(new TrainProgress(step, config.Steps, values["loss"], values["max_attn_logit"], clock.Elapsed.TotalSeconds));

            if (!double.IsFinite(values["loss"]) || !double.IsFinite(values["grad_norm"]) || !double.IsFinite(values["log_z"]))
            {
                divergedStep = step;
                break;
            }
        }
        double trainSeconds = trainClock.Elapsed.TotalSeconds;

        double finalEval = divergedStep >= 0 ? double.NaN : EvalLoss(model, streams, config, device);
        if (curve.Rows.Count > 0 && divergedStep < 0) curve.Rows[^1][curve.Column("eval_loss")] = finalEval;
        double Last(string name) => last.TryGetValue(name, out var v) ? v : double.NaN;
        var result = new RunResult
        {
            RunId = config.RunId,
            Config = config with { Model = modelConfig },
            Params = modelConfig.NonEmbeddingParams,
            InitialLoss = initialLoss,
            FinalTrainLoss = Last("loss"),
            FinalEvalLoss = finalEval,
            Diverged = divergedStep >= 0 || !(finalEval <= initialLoss),
            DivergedStep = divergedStep,
            StepsDone = stepsDone,
            MaxAttnLogit = maxLogit,
            MaxAttnLogitBlock0 = maxLogit0,
            FinalOutputLogitMean = Last("output_logit_mean"),
            FinalLogZ = Last("log_z"),
            FinalLogitStd = Last("logit_std"),
            InitialHeadMuNorm = initialMuNorm,
            FinalHeadMuNorm = Last("head_mu_norm"),
            FinalEmbedMuNorm = Last("embed_mu_norm"),
            FinalHiddenMeanNorm = Last("hidden_mean_norm"),
            FinalLnGainRms = Last("final_ln_gain_rms"),
            WallSeconds = clock.Elapsed.TotalSeconds,
            MsPerStep = 1000 * trainSeconds / Math.Max(1, stepsDone),
        };
        return (result, curve);
    }

    static readonly string[] LossNames = { "loss", "z_loss", "grad_norm", "output_logit_mean", "log_z", "logit_std" };

    static string[] AttentionNames(int block) =>
        new[] { $"attn_logit_max/{block}", $"attn_q_norm/{block}", $"attn_k_norm/{block}", $"attn_cos/{block}" };

    /// <summary>The order of the one-transfer vector: loss terms, output statistics, attention per block, layer RMS.</summary>
    static List<string> ScalarNames(int depth, IReadOnlyList<ParameterGroup> groups) =>
        LossNames.Concat(OutputStatistics.Names)
            .Concat(Enumerable.Range(0, depth).SelectMany(AttentionNames))
            .Concat(LayerStatistics.Names(groups)).ToList();

    static Dictionary<string, double> Name(double[] scalars, List<string> names, int depth)
    {
        var values = names.Select((n, i) => (n, scalars[i])).ToDictionary(p => p.n, p => p.Item2);
        values["max_attn_logit"] = Enumerable.Range(0, depth).Max(b => values[$"attn_logit_max/{b}"]);
        return values;
    }

    static void Record(Curve curve, Dictionary<string, double> values)
    {
        var row = curve.NewRow();
        foreach (var (name, value) in values) row[curve.Column(name)] = value;
    }

    /// <summary>step, lr, the loss terms and output-logit statistics, max attention logit (any block), then per block
    /// (max logit, ‖q‖, ‖k‖, cosine at the max), eval_loss, then per-layer grad/param/update RMS.</summary>
    public static IEnumerable<string> CurveColumns(int depth, IReadOnlyList<ParameterGroup> groups) =>
        new[] { "step", "lr" }.Concat(LossNames).Concat(OutputStatistics.Names).Append("max_attn_logit")
            .Concat(Enumerable.Range(0, depth).SelectMany(AttentionNames))
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
