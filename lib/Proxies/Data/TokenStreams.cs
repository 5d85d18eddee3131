namespace Proxies.Data;

/// <summary>
/// Train and held-out token streams. The split is by document and deterministic: every 20th document
/// (index 19, 39, ...) is held out, so eval text is never trained on and the split does not depend on a seed.
/// </summary>
public sealed record TokenStreams(int[] Train, int[] Eval, int Vocab, string Source, string VocabSpec)
{
    public const int EvalEvery = 20;

    public static TokenStreams FromCorpus(TextCorpus corpus, string vocabSpec)
    {
        var docs = corpus.Documents;
        if (docs.Count < EvalEvery)
            throw new DataException($"data file '{corpus.Source}' has {docs.Count} documents; the held-out split needs at least {EvalEvery} (documents are separated by blank lines, or one per JSON line)");
        var train = docs.Where((_, i) => i % EvalEvery != EvalEvery - 1).ToList();
        var eval = docs.Where((_, i) => i % EvalEvery == EvalEvery - 1).ToList();
        var tokenizer = Vocabularies.Create(vocabSpec, train);
        return new TokenStreams(tokenizer.Encode(train), tokenizer.Encode(eval), tokenizer.VocabSize, corpus.Source, vocabSpec);
    }

    static readonly Dictionary<(string, string), TokenStreams> Cache = new();

    /// <summary>Tokenizes once per path and vocabulary: kept in memory for this process (sweeps train many models
    /// on one corpus) and on disk in <see cref="CacheFolder.Default"/> for the next processes.</summary>
    /// <param name="path">A text file, or a genre selection of the shipped corpus (<see cref="BrownGenres"/>; tokenized in
    /// memory, not cached on disk).</param>
    public static TokenStreams Load(string path, string vocabSpec = "bytes")
    {
        bool genres = BrownGenres.IsSpec(path);
        var key = (genres ? path : Path.GetFullPath(path), vocabSpec);
        lock (Cache)
        {
            if (!Cache.TryGetValue(key, out var streams))
                Cache[key] = streams = genres ? FromCorpus(BrownGenres.Load(path), vocabSpec)
                    : new TokenStreamCache(CacheFolder.Default).Load(key.Item1, vocabSpec);
            return streams;
        }
    }
}
