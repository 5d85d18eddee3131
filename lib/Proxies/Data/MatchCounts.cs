using System.Text.RegularExpressions;

namespace Proxies.Data;

/// <summary>How often each match of a pattern occurs in documents: the word counts both vocabularies are built from.</summary>
public static class MatchCounts
{
    public static Dictionary<string, long> Count(IEnumerable<string> documents, Regex pattern)
    {
        var counts = new Dictionary<string, long>();
        // Counting through a span lookup allocates a string only for each distinct match, not for every occurrence.
        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var document in documents)
            foreach (var match in pattern.EnumerateMatches(document))
            {
                var word = document.AsSpan(match.Index, match.Length);
                lookup[word] = lookup.TryGetValue(word, out long n) ? n + 1 : 1;
            }
        return counts;
    }
}
