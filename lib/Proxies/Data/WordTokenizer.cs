using System.Text.RegularExpressions;

namespace Proxies.Data;

/// <summary>
/// Word-level tokens: runs of letters and digits (with an apostrophe suffix such as 's or n't kept on the word)
/// and single punctuation marks, case kept, whitespace dropped. The vocabulary is the most frequent tokens of
/// the training documents, then &lt;unk&gt; for every other token and &lt;eos&gt; after each document.
/// </summary>
public sealed partial class WordTokenizer : ITokenizer
{
    public const string Unknown = "<unk>";
    public const string EndOfDocument = "<eos>";

    [GeneratedRegex(@"[A-Za-z0-9]+(?:'[A-Za-z]+)?|[^\sA-Za-z0-9]")]
    private static partial Regex Pattern();

    readonly Dictionary<string, int> ids;
    readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup;

    /// <summary>Token of each id: the kept words by falling frequency, then <see cref="Unknown"/>, then <see cref="EndOfDocument"/>.</summary>
    public IReadOnlyList<string> Tokens { get; }
    public int UnknownId => Tokens.Count - 2;
    public int EndOfDocumentId => Tokens.Count - 1;
    public string Spec { get; }
    public int VocabSize => Tokens.Count;

    /// <summary>Keeps the <paramref name="size"/> − 2 most frequent tokens; equal counts are ordered by ordinal string
    /// order so the vocabulary does not depend on hash order. A corpus with fewer distinct tokens gives a smaller
    /// vocabulary (ids the model could never see would only add untrained rows).</summary>
    public WordTokenizer(int size, IEnumerable<string> trainingDocuments)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 3);
        var counts = MatchCounts.Count(trainingDocuments, Pattern());
        var kept = counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(size - 2).Select(p => p.Key).ToList();
        ids = kept.Select((word, id) => (word, id)).ToDictionary(p => p.word, p => p.id);
        lookup = ids.GetAlternateLookup<ReadOnlySpan<char>>();
        Tokens = [.. kept, Unknown, EndOfDocument];
        Spec = $"words:{size}";
    }

    public int[] Encode(IEnumerable<string> documents)
    {
        var stream = new List<int>();
        foreach (var document in documents)
        {
            foreach (var match in Pattern().EnumerateMatches(document))
                stream.Add(lookup.TryGetValue(document.AsSpan(match.Index, match.Length), out int id) ? id : UnknownId);
            stream.Add(EndOfDocumentId);
        }
        return [.. stream];
    }
}
