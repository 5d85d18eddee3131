namespace Proxies.Data;

/// <summary>
/// The files a <c>--data</c> spec names, and which of them are held out. One file: every 20th document is held out
/// (<see cref="TokenStreams.EvalEvery"/>). A folder, or a glob such as <c>c4/en/*.json.gz</c>: its shards in name order;
/// those with "validation" in their name are held out (C4's <c>c4-validation.*</c>), else the last shard.
/// </summary>
public sealed record CorpusFiles(string Spec, IReadOnlyList<string> Train, IReadOnlyList<string> HeldOut)
{
    /// <summary>Plain text (documents separated by a blank line) or JSON lines with a "text" field, each optionally gzipped.</summary>
    public static readonly string[] Extensions = [".txt", ".txt.gz", ".jsonl", ".jsonl.gz", ".json", ".json.gz"];

    /// <summary>One file, split by document; else whole shards are held out.</summary>
    public bool SplitByDocument => HeldOut.Count == 0;

    public static bool IsCorpusFile(string path) => Extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    public static CorpusFiles Resolve(string spec)
    {
        if (File.Exists(spec)) return new(Path.GetFullPath(spec), [Path.GetFullPath(spec)], []);
        string[] files;
        if (Directory.Exists(spec))
            files = Directory.GetFiles(spec).Where(IsCorpusFile).ToArray();
        else if (spec.IndexOfAny(['*', '?']) >= 0)
        {
            string folder = Path.GetDirectoryName(spec) is { Length: > 0 } d ? d : ".";
            if (folder.IndexOfAny(['*', '?']) >= 0) throw new DataException($"--data {spec}: a glob may only be in the file name (e.g. c4/en/*.json.gz)");
            files = Directory.Exists(folder) ? Directory.GetFiles(folder, Path.GetFileName(spec)).Where(IsCorpusFile).ToArray() : [];
        }
        else throw new DataException($"data file '{spec}' does not exist; pass --data with a text file, a folder of shards or a glob ({string.Join(", ", Extensions)})");
        if (files.Length == 0) throw new DataException($"--data {spec}: no {string.Join(", ", Extensions)} files there");
        var sorted = files.Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToList();
        if (sorted.Count == 1) return new(Path.GetFullPath(spec), sorted, []);
        var heldOut = sorted.Where(f => Path.GetFileName(f).Contains("validation", StringComparison.OrdinalIgnoreCase)).ToList();
        if (heldOut.Count == 0) heldOut = [sorted[^1]];
        var train = sorted.Except(heldOut).ToList();
        if (train.Count == 0) throw new DataException($"--data {spec}: every shard is a validation shard; nothing is left to train on");
        return new(Path.GetFullPath(spec), train, heldOut);
    }

    /// <summary>Every document in order, each with whether it is held out; read as a stream, one shard after another.</summary>
    public IEnumerable<(string Text, bool HeldOut)> Documents()
    {
        if (SplitByDocument)
        {
            long i = 0;
            foreach (var doc in TextCorpus.ReadDocuments(Train[0]))
                yield return (doc, TokenStreams.IsHeldOut(i++));
            yield break;
        }
        foreach (var file in Train)
            foreach (var doc in TextCorpus.ReadDocuments(file)) yield return (doc, false);
        foreach (var file in HeldOut)
            foreach (var doc in TextCorpus.ReadDocuments(file)) yield return (doc, true);
    }

    /// <summary>The first training documents, up to <paramref name="chars"/> characters: what a learned vocabulary
    /// (bpe:N, words:N) is learned on.</summary>
    public IReadOnlyList<string> TrainingSample(long chars)
    {
        var sample = new List<string>();
        long total = 0;
        foreach (var (doc, heldOut) in Documents())
        {
            if (heldOut) continue;
            if (total + doc.Length > chars && sample.Count > 0) break;
            sample.Add(doc);
            total += doc.Length;
        }
        return sample;
    }
}
