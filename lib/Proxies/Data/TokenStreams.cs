namespace Proxies.Data;

/// <summary>
/// Train and held-out token streams. The split is deterministic (<see cref="CorpusFiles"/>): in one file every 20th
/// document (index 19, 39, ...) is held out; in a folder or glob of shards, whole shards are. Eval text is never trained
/// on and the split does not depend on a seed. The tokens of a file-based corpus are read from the token cache
/// (<see cref="FileTokens"/>), so a corpus larger than memory trains.
/// </summary>
public sealed record TokenStreams(TokenStream Train, TokenStream Eval, int Vocab, string Source, string VocabSpec)
{
    public const int EvalEvery = 20;

    public static TokenStreams FromCorpus(TextCorpus corpus, string vocabSpec)
    {
        var docs = corpus.Documents;
        if (docs.Count < EvalEvery)
            throw new DataException(TooFewDocuments(corpus.Source, docs.Count));
        var train = docs.Where((_, i) => !IsHeldOut(i)).ToList();
        var eval = docs.Where((_, i) => IsHeldOut(i)).ToList();
        var tokenizer = Vocabularies.Create(vocabSpec, train);
        return new TokenStreams(tokenizer.Encode(train), tokenizer.Encode(eval), tokenizer.VocabSize, corpus.Source, vocabSpec);
    }

    /// <summary>Whether document <paramref name="index"/> of a single-file corpus is held out: every 20th.</summary>
    public static bool IsHeldOut(long index) => index % EvalEvery == EvalEvery - 1;

    public static string TooFewDocuments(string source, long count) =>
        $"data file '{source}' has {count} documents; the held-out split needs at least {EvalEvery} (documents are separated by blank lines, or one per JSON line)";

    static readonly Dictionary<(string, string), TokenStreams> Cache = new();

    /// <summary>Tokenizes once per corpus and vocabulary: kept for this process (sweeps train many models on one corpus)
    /// and on disk in <see cref="CacheFolder.Default"/> for the next processes.</summary>
    /// <param name="path">A text file, a folder or glob of shards (<see cref="CorpusFiles"/>), or a genre selection of the
    /// shipped corpus (<see cref="BrownGenres"/>; tokenized in memory, not cached on disk).</param>
    public static TokenStreams Load(string path, string vocabSpec = "bytes")
    {
        bool genres = BrownGenres.IsSpec(path);
        var files = genres ? null : CorpusFiles.Resolve(path);
        var key = (files?.Spec ?? path, vocabSpec);
        lock (Cache)
        {
            if (!Cache.TryGetValue(key, out var streams))
                Cache[key] = streams = files is null ? FromCorpus(BrownGenres.Load(path), vocabSpec)
                    : new TokenStreamCache(CacheFolder.Default).Load(files, vocabSpec);
            return streams;
        }
    }
}
