namespace Proxies.Data;

/// <summary>
/// The shipped Brown corpus by genre: the data spec <c>brown:LETTERS</c> selects the samples of those genres, for
/// example <c>brown:abcdefghj</c> (the nine non-fiction genres) or <c>brown:klmnpr</c> (the six of fiction). The file
/// holds the 500 samples in id order (data/README.md), so each genre is a run of documents.
/// </summary>
public static class BrownGenres
{
    public const string Prefix = "brown:";

    /// <summary>Genre letter, number of samples, name (the corpus's own categories).</summary>
    public static readonly IReadOnlyList<(char Letter, int Samples, string Name)> All =
    [
        ('a', 44, "press: reportage"), ('b', 27, "press: editorial"), ('c', 17, "press: reviews"), ('d', 17, "religion"),
        ('e', 36, "skills and hobbies"), ('f', 48, "popular lore"), ('g', 75, "belles lettres"), ('h', 30, "miscellaneous"),
        ('j', 80, "learned"), ('k', 29, "general fiction"), ('l', 24, "mystery and detective fiction"), ('m', 6, "science fiction"),
        ('n', 29, "adventure and western fiction"), ('p', 29, "romance and love story"), ('r', 9, "humor"),
    ];

    public static bool IsSpec(string? data) => data is not null && data.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>What is wrong with a spec, or null.</summary>
    public static string? Check(string spec)
    {
        var letters = spec[Prefix.Length..];
        if (letters.Length == 0) return $"names no genre; give letters of {string.Concat(All.Select(g => g.Letter))}, e.g. brown:abcdefghj";
        var unknown = letters.Where(l => All.All(g => g.Letter != l)).Distinct().ToList();
        return unknown.Count > 0 ? $"genre letter(s) {string.Concat(unknown)} are not Brown genres ({string.Concat(All.Select(g => g.Letter))}: data/README.md)" : null;
    }

    public static TextCorpus Load(string spec)
    {
        if (Check(spec) is { } error) throw new DataException($"--data {spec}: {error}");
        var corpus = TextCorpus.Load(TextCorpus.DefaultPath);
        if (corpus.Documents.Count != All.Sum(g => g.Samples))
            throw new DataException($"the shipped corpus has {corpus.Documents.Count} documents, not the Brown corpus's {All.Sum(g => g.Samples)}: {corpus.Source} was changed");
        var selected = new List<string>();
        int start = 0;
        foreach (var (letter, samples, _) in All)
        {
            if (spec.IndexOf(letter, Prefix.Length) >= 0) selected.AddRange(corpus.Documents.Skip(start).Take(samples));
            start += samples;
        }
        return new TextCorpus(selected, spec);
    }
}
