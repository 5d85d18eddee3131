namespace Proxies.Training;

/// <summary>
/// One finished run: its config and its named summary values (<see cref="RunSummary"/>), one row of runs.csv. The
/// typed properties are views of those values, for code and notebooks.
/// </summary>
public sealed record RunResult
{
    public required string RunId { get; init; }
    public required TrainConfig Config { get; init; }
    public required IReadOnlyDictionary<string, double> Values { get; init; }

    /// <summary>A summary value by name; NaN when this run did not record it.</summary>
    public double this[string name] => Values.TryGetValue(name, out var v) ? v : double.NaN;

    /// <summary>Non-embedding parameters.</summary>
    public long Params => (long)this[RunSummary.Params];
    /// <summary>ℓ0: held-out loss of the model at initialisation (step 0), the LR-sensitivity clip.</summary>
    public double InitialLoss => this[RunSummary.Initial(RunSummary.EvalLoss)];
    public double FinalTrainLoss => this[RunSummary.Final(RunSummary.Loss)];
    public double FinalEvalLoss => this[RunSummary.Final(RunSummary.EvalLoss)];
    /// <summary>NaN/inf in loss, gradients or logits, or a final held-out loss above ℓ0.</summary>
    public bool Diverged => this[RunSummary.Diverged] == 1;
    public int DivergedStep => (int)this[RunSummary.DivergedStep];
    public int StepsDone => (int)this[RunSummary.StepsDone];
    /// <summary>Largest pre-softmax attention logit over training, all blocks.</summary>
    public double MaxAttnLogit => this[RunSummary.Max(Model.ForwardProbe.MaxLogit)];
    /// <summary>Same, block 0 only (the paper's Fig 2 and Fig 9 use block 0).</summary>
    public double MaxAttnLogitBlock0 => this[RunSummary.Max(Model.ForwardProbe.BlockMaxLogit(0))];
    public double FinalOutputLogitMean => this[RunSummary.Final(Losses.LossTerms.OutputLogitMeanName)];
    public double FinalLogZ => this[RunSummary.Final(Losses.LossTerms.LogZName)];
    /// <summary>Per-token standard deviation of the logits over the vocabulary (a uniform shift leaves it unchanged).</summary>
    public double FinalLogitStd => this[RunSummary.Final(Losses.LossTerms.LogitStdName)];
    /// <summary>‖μ‖ of the head's mean row at initialisation and at the end (docs/science/output-logit-divergence.md).</summary>
    public double InitialHeadMuNorm => this[RunSummary.Initial(Probes.OutputStatistics.HeadMuNorm)];
    public double FinalHeadMuNorm => this[RunSummary.Final(Probes.OutputStatistics.HeadMuNorm)];
    public double FinalEmbedMuNorm => this[RunSummary.Final(Probes.OutputStatistics.EmbedMuNorm)];
    /// <summary>‖h̄‖, the mean final hidden state (after the final LayerNorm).</summary>
    public double FinalHiddenMeanNorm => this[RunSummary.Final(Probes.OutputStatistics.HiddenMeanNorm)];
    public double FinalLnGainRms => this[RunSummary.Final(Probes.OutputStatistics.FinalLnGainRms)];
    /// <summary>λ·Σₜ sₜ (coupled: η·λ·Σₜ sₜ): the weights shrank by exp(−total) from weight decay alone.</summary>
    public double TotalDecay => this[RunSummary.TotalDecay];
    public double WallSeconds => this[RunSummary.WallSeconds];
    public double MsPerStep => this[RunSummary.MsPerStep];
}
