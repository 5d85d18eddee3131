namespace Proxies.Training;

/// <summary>The summary of one finished run: one row of runs.csv.</summary>
public sealed record RunResult
{
    public required string RunId { get; init; }
    public required TrainConfig Config { get; init; }
    public required long Params { get; init; }
    /// <summary>ℓ0: held-out loss of the model at initialisation (step 0), the LR-sensitivity clip.</summary>
    public required double InitialLoss { get; init; }
    public required double FinalTrainLoss { get; init; }
    public required double FinalEvalLoss { get; init; }
    /// <summary>NaN/inf in loss, gradients or logits, or a final held-out loss above ℓ0.</summary>
    public required bool Diverged { get; init; }
    /// <summary>The step at which a non-finite value appeared (-1 if none).</summary>
    public required int DivergedStep { get; init; }
    public required int StepsDone { get; init; }
    /// <summary>Largest pre-softmax attention logit over training, all blocks.</summary>
    public required double MaxAttnLogit { get; init; }
    /// <summary>Same, block 0 only (the paper's Fig 2 and Fig 9 use block 0).</summary>
    public required double MaxAttnLogitBlock0 { get; init; }
    public required double FinalOutputLogitMean { get; init; }
    public required double FinalLogZ { get; init; }
    /// <summary>Per-token standard deviation of the logits over the vocabulary (a uniform shift leaves it unchanged).</summary>
    public double FinalLogitStd { get; init; } = double.NaN;
    /// <summary>‖μ‖ of the head's mean row at initialisation and at the end (science.md §1.5).</summary>
    public double InitialHeadMuNorm { get; init; } = double.NaN;
    public double FinalHeadMuNorm { get; init; } = double.NaN;
    public double FinalEmbedMuNorm { get; init; } = double.NaN;
    /// <summary>‖h̄‖, the mean final hidden state (after the final LayerNorm).</summary>
    public double FinalHiddenMeanNorm { get; init; } = double.NaN;
    public double FinalLnGainRms { get; init; } = double.NaN;
    public required double WallSeconds { get; init; }
    public required double MsPerStep { get; init; }
}
