namespace Proxies.Experiments;

/// <summary>
/// The loss of a bigram model on the same data: the paper's Fig 10 yardstick (at κ = 10⁴ the transplanted model is worse
/// than a bigram model). p(b | a) from the training tokens' pair counts with add-α smoothing,
/// p(b | a) = (n(a, b) + α) / (n(a) + α·V); the loss is the mean −ln p over the held-out pairs, in nats per token.
/// </summary>
public static class BigramBaseline
{
    /// <summary>The token streams' bigram loss (they may be memory-mapped: <see cref="Data.TokenStreams"/>).</summary>
    public static double HeldOutLoss(ReadOnlyMemory<int> train, ReadOnlyMemory<int> eval, int vocab, double alpha = 1) =>
        HeldOutLoss(train.Span, eval.Span, vocab, alpha);

    public static double HeldOutLoss(ReadOnlySpan<int> train, ReadOnlySpan<int> eval, int vocab, double alpha = 1)
    {
        if (eval.Length < 2) throw new ArgumentException("the held-out stream needs two tokens at least", nameof(eval));
        var pairs = new Dictionary<(int, int), long>();
        var firsts = new long[vocab];
        for (int i = 0; i + 1 < train.Length; i++)
        {
            var key = (train[i], train[i + 1]);
            pairs[key] = pairs.GetValueOrDefault(key) + 1;
            firsts[train[i]]++;
        }
        double sum = 0;
        for (int i = 0; i + 1 < eval.Length; i++)
            sum -= Math.Log((pairs.GetValueOrDefault((eval[i], eval[i + 1])) + alpha) / (firsts[eval[i]] + alpha * vocab));
        return sum / (eval.Length - 1);
    }
}
