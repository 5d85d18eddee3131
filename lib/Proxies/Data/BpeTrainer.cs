using System.Runtime.InteropServices;
using System.Text;

namespace Proxies.Data;

/// <summary>
/// Learns byte-pair merges (Sennrich et al. 2016, on bytes as in GPT-2) from word types weighted by their counts:
/// each step merges the most frequent adjacent pair of tokens into a new token. Done naively every step would
/// recount all words; here the counts are kept up to date instead: a pair → count map, a pair → words index so
/// that a merge revisits only the words holding the pair, and a priority queue whose outdated entries are skipped
/// when they come out (lazy deletion). 32k merges over Brown's ~50k word types take seconds.
/// </summary>
public static class BpeTrainer
{
    /// <summary>
    /// Merges until there are <paramref name="tokenCount"/> tokens, the 256 bytes included, or no pair is left.
    /// Equal counts go to the pair with the smaller left id, then the smaller right id, so the result does not
    /// depend on hash or input order. A merge whose bytes already are a token (learned from another split) reuses
    /// that token's id, as the Hugging Face trainer does, so every token's bytes are distinct.
    /// </summary>
    public static BpeMerges Learn(IEnumerable<(byte[] Word, long Count)> words, int tokenCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tokenCount, 256);
        var symbols = new List<int[]>();
        var lengths = new List<int>();
        var counts = new List<long>();
        foreach (var (word, count) in words)
        {
            symbols.Add(word.Select(b => (int)b).ToArray());
            lengths.Add(word.Length);
            counts.Add(count);
        }
        var tokens = Enumerable.Range(0, 256).Select(b => new[] { (byte)b }).ToList();
        var idOfBytes = tokens.Select((bytes, id) => (bytes, id)).ToDictionary(t => Encoding.Latin1.GetString(t.bytes), t => t.id);

        var pairCounts = new Dictionary<long, long>();
        // Words that hold a pair. A word can stay listed after it lost the pair: MergeWord checks before changing it.
        var wordsWith = new Dictionary<long, HashSet<int>>();
        for (int w = 0; w < symbols.Count; w++)
            for (int j = 0; j + 1 < lengths[w]; j++)
            {
                long pair = Pair(symbols[w][j], symbols[w][j + 1]);
                CollectionsMarshal.GetValueRefOrAddDefault(pairCounts, pair, out _) += counts[w];
                WordsWith(wordsWith, pair).Add(w);
            }
        var queue = new PriorityQueue<long, (long NegativeCount, long Pair)>(pairCounts.Select(p => (p.Key, (-p.Value, p.Key))));

        var merges = new List<(int, int)>();
        // A reused id can bring back a pair merged before; merging it twice would put one pair at two ranks.
        var mergedPairs = new HashSet<long>();
        var delta = new Dictionary<long, long>();
        while (tokens.Count < tokenCount && queue.TryDequeue(out long best, out var priority))
        {
            if (!pairCounts.TryGetValue(best, out long bestCount) || bestCount != -priority.NegativeCount) continue; // outdated entry
            if (!mergedPairs.Add(best)) continue;
            int left = (int)(best >> 32), right = (int)best;
            byte[] bytes = [.. tokens[left], .. tokens[right]];
            var key = Encoding.Latin1.GetString(bytes);
            if (!idOfBytes.TryGetValue(key, out int merged))
            {
                merged = tokens.Count;
                tokens.Add(bytes);
                idOfBytes.Add(key, merged);
            }
            merges.Add((left, right));

            delta.Clear();
            foreach (int w in wordsWith[best])
                MergeWord(symbols[w], lengths, counts[w], w, left, right, merged, delta, wordsWith);
            foreach (var (pair, change) in delta)
            {
                if (change == 0) continue;
                long count = pairCounts.GetValueOrDefault(pair) + change;
                if (count > 0)
                {
                    pairCounts[pair] = count;
                    queue.Enqueue(pair, (-count, pair));
                }
                else
                {
                    pairCounts.Remove(pair);
                    wordsWith.Remove(pair);
                }
            }
        }
        return new BpeMerges(tokens, merges);
    }

    /// <summary>Replaces every (left, right) in one word, left to right, and records how the pair counts change.</summary>
    static void MergeWord(int[] word, List<int> lengths, long count, int w, int left, int right, int merged,
        Dictionary<long, long> delta, Dictionary<long, HashSet<int>> wordsWith)
    {
        int n = lengths[w];
        bool holds = false;
        for (int j = 0; j + 1 < n && !holds; j++) holds = word[j] == left && word[j + 1] == right;
        if (!holds) return;
        for (int j = 0; j + 1 < n; j++) CollectionsMarshal.GetValueRefOrAddDefault(delta, Pair(word[j], word[j + 1]), out _) -= count;
        int k = 0;
        for (int j = 0; j < n;)
            if (j + 1 < n && word[j] == left && word[j + 1] == right) { word[k++] = merged; j += 2; }
            else word[k++] = word[j++];
        lengths[w] = k;
        for (int j = 0; j + 1 < k; j++)
        {
            long pair = Pair(word[j], word[j + 1]);
            CollectionsMarshal.GetValueRefOrAddDefault(delta, pair, out _) += count;
            // Only pairs with the new token are new to this word; it is already listed under the others.
            if (word[j] == merged || word[j + 1] == merged) WordsWith(wordsWith, pair).Add(w);
        }
    }

    static long Pair(int left, int right) => (long)left << 32 | (uint)right;

    static HashSet<int> WordsWith(Dictionary<long, HashSet<int>> wordsWith, long pair)
    {
        ref var words = ref CollectionsMarshal.GetValueRefOrAddDefault(wordsWith, pair, out _);
        return words ??= [];
    }
}
