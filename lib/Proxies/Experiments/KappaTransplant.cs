using Proxies.Model;
using static TorchSharp.torch;

namespace Proxies.Experiments;

/// <summary>
/// The paper's Fig 10: take a trained model and *transplant* a max attention logit κ into it, scaling each block's
/// queries and keys so that the block's largest logit on a batch becomes κ (z_ij → s·z_ij with s = κ / max z, applied as
/// √s to q and to k after RoPE). How much the loss degrades as κ grows says how large a logit the model can live with;
/// the paper saw it degrade from κ ≈ 10³ and, at 10⁴, end worse than a bigram model.
/// </summary>
public static class KappaTransplant
{
    /// <summary>Sets every block's logit scale so that its max attention logit on <paramref name="tokens"/> is κ, and
    /// returns the scales. Block by block, from the first: a block's input depends on the scales of the blocks before it,
    /// so each is measured with those already set and its own reset to 1.</summary>
    public static double[] Apply(Transformer model, Tensor tokens, double kappa)
    {
        if (!(kappa > 0) || !double.IsFinite(kappa)) throw new ArgumentOutOfRangeException(nameof(kappa), kappa, "κ must be a positive finite logit");
        foreach (var block in model.Blocks) block.LogitScale = 1;
        var scales = new double[model.Blocks.Count];
        for (int b = 0; b < scales.Length; b++)
        {
            double max = MaxLogits(model, tokens)[b];
            if (!(max > 0)) throw new InvalidOperationException($"block {b}'s max attention logit is {max}: no positive logit to scale to κ");
            model.Blocks[b].LogitScale = scales[b] = kappa / max;
        }
        return scales;
    }

    /// <summary>Trains <paramref name="config"/> and, on the trained model, measures its own max attention logit (all
    /// blocks) and <see cref="LossCurve"/> with a batch of held-out tokens and the run's own held-out loss.</summary>
    public static (Training.RunResult Run, double OwnMaxLogit, IReadOnlyList<(double Kappa, double MaxLogit, double Loss)> Curve) TrainAndTransplant(
        Training.TrainConfig config, IReadOnlyList<double> kappas, Device? device = null)
    {
        device ??= CPU;
        var streams = Data.TokenStreams.Load(config.Data ?? Data.TextCorpus.DefaultPath, config.Vocab);
        IReadOnlyList<(double, double, double)> curve = [];
        double own = double.NaN;
        var (run, _) = Training.Trainer.Run(config, device, afterStep: (step, model) =>
        {
            if (step != config.Steps - 1) return;
            var (tokens, _) = Data.BatchSampler.EvalBatches(streams.Eval, 1, config.BatchSize, config.Model.SeqLen, device).First();
            own = MaxLogits(model, tokens).Max();
            curve = LossCurve(model, tokens, () => Training.Trainer.EvalLoss(model, streams, config, device), kappas);
        });
        return (run, own, curve);
    }

    /// <summary>Fig 10's curve: for each κ, transplants it on <paramref name="tokens"/> and measures
    /// <paramref name="heldOutLoss"/>; every scale is set back to 1 afterwards.</summary>
    public static IReadOnlyList<(double Kappa, double MaxLogit, double Loss)> LossCurve(Transformer model, Tensor tokens,
        Func<double> heldOutLoss, IReadOnlyList<double> kappas)
    {
        try
        {
            return kappas.Select(kappa =>
            {
                Apply(model, tokens, kappa);
                return (kappa, MaxLogits(model, tokens).Max(), heldOutLoss());
            }).ToList();
        }
        finally
        {
            foreach (var block in model.Blocks) block.LogitScale = 1;
        }
    }

    /// <summary>Writes the transplant into <paramref name="folder"/> as kappa-transplant.csv (atomically), one row per κ:
    /// the measured max logit, the held-out loss and its difference from the untouched model's, with the trained run's id,
    /// its own max logit and loss and the bigram model's loss repeated on every row, so the file stands alone.</summary>
    public static string Write(string folder, Training.RunResult trained, double ownMaxLogit, double bigramLoss,
        IReadOnlyList<(double Kappa, double MaxLogit, double Loss)> curve)
    {
        string[] header = ["run_id", "kappa", "max_logit", "eval_loss", "minus_trained_loss", "worse_than_bigram", "own_max_logit", "trained_eval_loss", "bigram_eval_loss"];
        var lines = curve.Select(c => Results.Csv.Line([trained.RunId, Results.Csv.Format(c.Kappa), Results.Csv.Format(c.MaxLogit), Results.Csv.Format(c.Loss),
            Results.Csv.Format(c.Loss - trained.FinalEvalLoss), c.Loss > bigramLoss ? "true" : "false", Results.Csv.Format(ownMaxLogit),
            Results.Csv.Format(trained.FinalEvalLoss), Results.Csv.Format(bigramLoss)]));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "kappa-transplant.csv");
        Runtime.AtomicFile.WriteAllText(path, string.Join("\n", lines.Prepend(Results.Csv.Line(header))) + "\n");
        return path;
    }

    /// <summary>Each block's max attention logit on <paramref name="tokens"/>, at the current scales.</summary>
    public static double[] MaxLogits(Transformer model, Tensor tokens)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var probe = new ForwardProbe();
        model.Forward(tokens, probe);
        var values = probe.Scalars().Read();
        return Enumerable.Range(0, model.Blocks.Count).Select(b => values[ForwardProbe.BlockMaxLogit(b)]).ToArray();
    }
}
