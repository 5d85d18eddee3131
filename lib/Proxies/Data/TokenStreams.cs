namespace Proxies.Data;

/// <summary>
/// Train and held-out token streams. The split is by document and deterministic: every 20th document
/// (index 19, 39, ...) is held out, so eval text is never trained on and the split does not depend on a seed.
/// </summary>
public sealed record TokenStreams(byte[] Train, byte[] Eval, int Vocab, string Source)
{
    public const int EvalEvery = 20;

    public static TokenStreams FromCorpus(TextCorpus corpus)
    {
        var docs = corpus.Documents;
        if (docs.Count < EvalEvery)
            throw new DataException($"data file '{corpus.Source}' has {docs.Count} documents; the held-out split needs at least {EvalEvery} (documents are separated by blank lines, or one per JSON line)");
        var train = docs.Where((_, i) => i % EvalEvery != EvalEvery - 1);
        var eval = docs.Where((_, i) => i % EvalEvery == EvalEvery - 1);
        return new TokenStreams(ByteTokenizer.Encode(train), ByteTokenizer.Encode(eval), ByteTokenizer.VocabSize, corpus.Source);
    }

    static readonly Dictionary<string, TokenStreams> Cache = new();

    /// <summary>Loads and tokenizes once per process and path (sweeps train many models on one corpus).</summary>
    public static TokenStreams Load(string path)
    {
        var full = Path.GetFullPath(path);
        lock (Cache)
        {
            if (!Cache.TryGetValue(full, out var streams)) Cache[full] = streams = FromCorpus(TextCorpus.Load(full));
            return streams;
        }
    }
}
