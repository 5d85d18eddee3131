namespace Proxies.Experiments;

/// <summary>
/// The loss of a bigram model on the same data: the paper's Fig 10 yardstick (at κ = 10⁴ the transplanted model is worse
/// than a bigram model). p(b | a) from the training tokens' pair counts with add-α smoothing,
/// p(b | a) = (n(a, b) + α) / (n(a) + α·V); the loss is the mean −ln p over the held-out pairs, in nats per token.
/// </summary>
public static class BigramBaseline
{
    /// <summary>The streams' bigram loss, reading each a chunk at a time (they may come from a large cache file).</summary>
    public static double HeldOutLoss(Data.TokenStream train, Data.TokenStream eval, int vocab, double alpha = 1)
    {
        if (eval.Length < 2) throw new ArgumentException("the held-out stream needs two tokens at least", nameof(eval));
        var pairs = new Dictionary<(int, int), long>();
        var firsts = new long[vocab];
        foreach (var (a, b) in Pairs(train))
        {
            pairs[(a, b)] = pairs.GetValueOrDefault((a, b)) + 1;
            firsts[a]++;
        }
        double sum = 0;
        foreach (var (a, b) in Pairs(eval))
            sum -= Math.Log((pairs.GetValueOrDefault((a, b)) + alpha) / (firsts[a] + alpha * vocab));
        return sum / (eval.Length - 1);
    }

    /// <summary>Every pair of neighbouring tokens, across chunk boundaries.</summary>
    static IEnumerable<(int, int)> Pairs(Data.TokenStream stream)
    {
        int? previous = null;
        foreach (var chunk in stream.Chunks())
            foreach (var token in chunk)
            {
                if (previous is int a) yield return (a, token);
                previous = token;
            }
    }
}
