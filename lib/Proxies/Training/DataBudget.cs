using Proxies.Data;

namespace Proxies.Training;

/// <summary>
/// What runs ask of their corpus, said before they start: the tokens the longest run reads (steps × batch × sequence),
/// the corpus's training tokens, and the epochs that makes. The paper trains once through C4 (10⁵ steps × 256 × 512 =
/// 1.3·10¹⁰ tokens); its profile on the shipped 5 MB Brown corpus would cycle it about 2,400 times, a different
/// experiment. More than <see cref="MaxEpochs"/> passes is refused unless asked for.
/// </summary>
public sealed record DataBudget(string Source, string Vocab, long CorpusTokens, long TokensNeeded)
{
    /// <summary>Passes over the training tokens allowed without --repeat-data.</summary>
    public const double MaxEpochs = 4;

    public double Epochs => (double)TokensNeeded / CorpusTokens;

    public static long Tokens(TrainConfig c) => (long)c.Steps * c.BatchSize * c.Model.SeqLen;

    /// <summary>One budget per corpus and vocabulary the runs use (tokenizing each corpus into the cache if it is not
    /// there yet), for the longest run on it.</summary>
    public static IReadOnlyList<DataBudget> Of(IEnumerable<TrainConfig> runs) =>
        runs.GroupBy(c => (Data: c.Data ?? TextCorpus.DefaultPath, c.Vocab)).Select(g =>
        {
            var streams = TokenStreams.Load(g.Key.Data, g.Key.Vocab);
            return new DataBudget(streams.Source, g.Key.Vocab, streams.Train.Length, g.Max(Tokens));
        }).ToList();

    /// <summary>The budgets, each described; throws when one cycles its corpus more than <see cref="MaxEpochs"/> times
    /// and <paramref name="repeatAllowed"/> is false.</summary>
    public static IReadOnlyList<DataBudget> Ensure(IEnumerable<TrainConfig> runs, bool repeatAllowed)
    {
        var budgets = Of(runs);
        var errors = budgets.Where(b => b.Epochs > MaxEpochs && !repeatAllowed).Select(b => new ConfigError("--data", b.Source,
            $"the longest run reads {b.TokensNeeded:N0} tokens, {b.Epochs:N0} passes over this corpus's {b.CorpusTokens:N0} training tokens; " +
            $"give a larger corpus (--data FOLDER or GLOB of .txt/.jsonl/.json.gz shards, e.g. C4's en/*.json.gz, with --vocab bpe:32768 or a " +
            $"SentencePiece .model such as T5's), fewer --steps, or --repeat-data to cycle it anyway (in a notebook: NotebookParameters.Set(\"repeat-data\", \"true\"))")).ToList();
        if (errors.Count > 0) throw new InvalidConfigException(errors);
        return budgets;
    }

    public override string ToString() =>
        $"{Source} ({Vocab}): {CorpusTokens:N0} training tokens; the longest run reads {TokensNeeded:N0} ({Epochs:G3} epochs)";
}
