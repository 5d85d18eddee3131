using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Proxies.Runtime;

namespace Proxies.Data;

/// <summary>
/// Tokenized corpora on disk, so that the worker processes of a sweep tokenize a corpus once between them rather
/// than once each, and so that a corpus larger than memory can be trained on: the documents are read as a stream,
/// tokenized a chunk at a time and appended to the file, and training reads windows from it (<see cref="FileTokens"/>).
/// One file per corpus and vocabulary, named by a hash of every data file's full path, length and last-write time, the
/// vocab spec (with a tokenizer file's own identity) and <see cref="FormatVersion"/>: an edited file, another vocabulary
/// or a new format is a miss. The file is written under a temporary name and renamed into place, and ends with a
/// SHA-256 of its content; one that cannot be read or does not check out is a miss and is rebuilt, never an error. A
/// folder that cannot be written only means no caching (the tokens are then held in memory).
/// </summary>
/// <remarks>Layout: magic, key (length-prefixed UTF-8), vocabulary size, zero padding to a multiple of 4 bytes, the
/// training tokens, the held-out tokens (little-endian int32), their two counts (int64), SHA-256 of all before it.</remarks>
public sealed class TokenStreamCache(string folder)
{
    /// <summary>Bump when tokenization or this file format changes, so old files are not read.</summary>
    public const int FormatVersion = 2;
    static ReadOnlySpan<byte> Magic => "PXTOKENS"u8;
    const int HashLength = SHA256.HashSizeInBytes, TrailerLength = 2 * sizeof(long) + HashLength;

    /// <summary>A learned vocabulary (bpe:N, words:N) is learned on at most this many characters of training text.</summary>
    public const long VocabularySampleChars = 64L << 20;

    /// <summary>Documents tokenized per chunk while streaming.</summary>
    const int ChunkDocuments = 512;

    public string Folder { get; } = Path.GetFullPath(folder);

    public TokenStreams Load(string dataPath, string vocabSpec) => Load(CorpusFiles.Resolve(dataPath), vocabSpec);

    /// <summary>Reads the cached streams if there are valid ones, else tokenizes the corpus into the cache and maps it.
    /// While one process tokenizes, others asking for the same corpus wait for it instead of doing the same work.</summary>
    public TokenStreams Load(CorpusFiles files, string vocabSpec)
    {
        if (TryRead(files, vocabSpec) is { } cached) return cached;
        using (TryLock(PathFor(files, vocabSpec) + ".lock"))
        {
            if (TryRead(files, vocabSpec) is { } builtMeanwhile) return builtMeanwhile;
            var tokenizer = Vocabularies.Create(vocabSpec, () => files.TrainingSample(VocabularySampleChars));
            if (TryWriteStreamed(files, tokenizer) && TryRead(files, vocabSpec) is { } written) return written;
            return InMemory(files, tokenizer);
        }
    }

    /// <summary>The cache file for a corpus and vocabulary (whether it exists or not).</summary>
    public string PathFor(string dataPath, string vocabSpec) => PathFor(CorpusFiles.Resolve(dataPath), vocabSpec);

    public string PathFor(CorpusFiles files, string vocabSpec)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Key(files, vocabSpec)));
        return Path.Combine(Folder, $"tokens-{Convert.ToHexStringLower(hash)[..32]}.bin");
    }

    public TokenStreams? TryRead(string dataPath, string vocabSpec) => TryRead(CorpusFiles.Resolve(dataPath), vocabSpec);

    /// <summary>The cached streams, read from the file, or null when there is no valid file for them.</summary>
    public TokenStreams? TryRead(CorpusFiles files, string vocabSpec)
    {
        string path = PathFor(files, vocabSpec);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 20);
            long length = stream.Length;
            if (length < Magic.Length + TrailerLength) return null;
            // The whole body is hashed (a sequential read, about a second per GB) before any of it is trusted.
            using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[1 << 20];
                for (long left = length - HashLength; left > 0;)
                {
                    int n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                    if (n <= 0) return null;
                    sha.AppendData(buffer, 0, n);
                    left -= n;
                }
                var stored = new byte[HashLength];
                stream.ReadExactly(stored);
                if (!sha.GetHashAndReset().AsSpan().SequenceEqual(stored)) return null;
            }
            stream.Position = 0;
            using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) return null;
            // The key inside guards against a hash collision and makes a file say what it holds.
            if (reader.ReadString() != Key(files, vocabSpec)) return null;
            int vocab = reader.ReadInt32();
            long start = Align(stream.Position);
            stream.Position = length - TrailerLength;
            long train = reader.ReadInt64(), eval = reader.ReadInt64();
            if (train < 0 || eval < 0 || start + (train + eval) * sizeof(int) != length - TrailerLength) return null;
            return new TokenStreams(new FileTokens(path, start, train), new FileTokens(path, start + train * sizeof(int), eval), vocab, files.Spec, vocabSpec);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EndOfStreamException or ArgumentException) { return null; }
    }

    /// <summary>Writes in-memory streams' cache file; false when the folder cannot be written (a full or read-only disk).</summary>
    public bool TryWrite(TokenStreams streams)
    {
        var files = CorpusFiles.Resolve(streams.Source);
        return TryWriteWith(PathFor(files, streams.VocabSpec), Key(files, streams.VocabSpec), streams.Vocab, (train, eval) =>
        {
            foreach (var chunk in streams.Train.Chunks()) train(chunk);
            foreach (var chunk in streams.Eval.Chunks()) eval(chunk);
        });
    }

    delegate void Append(ReadOnlySpan<int> tokens);

    /// <summary>Streams the corpus through the tokenizer into the cache file: memory holds one chunk of documents, and
    /// the held-out tokens wait in a second temporary file until the training tokens are written.</summary>
    bool TryWriteStreamed(CorpusFiles files, ITokenizer tokenizer) =>
        TryWriteWith(PathFor(files, tokenizer.Spec), Key(files, tokenizer.Spec), tokenizer.VocabSize, (train, eval) => Tokenize(files, tokenizer, train, eval));

    /// <summary>The corpus tokenized into memory, for a cache folder that cannot be written.</summary>
    static TokenStreams InMemory(CorpusFiles files, ITokenizer tokenizer)
    {
        var train = new List<int>();
        var eval = new List<int>();
        Tokenize(files, tokenizer, tokens => train.AddRange(tokens), tokens => eval.AddRange(tokens));
        return new TokenStreams(train.ToArray(), eval.ToArray(), tokenizer.VocabSize, files.Spec, tokenizer.Spec);
    }

    /// <summary>Reads the corpus as a stream and tokenizes it a chunk of documents at a time, appending each chunk's tokens
    /// to <paramref name="train"/> or <paramref name="eval"/>; then refuses a corpus too small to train on, as
    /// <see cref="TextCorpus.Load"/> does.</summary>
    static void Tokenize(CorpusFiles files, ITokenizer tokenizer, Append train, Append eval)
    {
        long documents = 0, chars = 0, heldOutDocuments = 0;
        var chunk = new List<string>(ChunkDocuments);
        bool chunkHeldOut = false;
        void Flush()
        {
            if (chunk.Count == 0) return;
            (chunkHeldOut ? eval : train)(tokenizer.Encode(chunk));
            chunk.Clear();
        }
        foreach (var (text, heldOut) in files.Documents())
        {
            if (chunkHeldOut != heldOut || chunk.Count == ChunkDocuments) Flush();
            chunkHeldOut = heldOut;
            chunk.Add(text);
            documents++;
            if (heldOut) heldOutDocuments++;
            chars += text.Length;
        }
        Flush();
        if (!files.SplitByDocument && heldOutDocuments == 0)
            throw new DataException($"data '{files.Spec}': the held-out shards ({string.Join(", ", files.HeldOut.Select(Path.GetFileName))}) hold no documents");
        if (documents == 0 || chars < TextCorpus.MinChars) throw new DataException(TextCorpus.TooLittleText(files.Spec, chars));
        if (files.SplitByDocument && documents < TokenStreams.EvalEvery) throw new DataException(TokenStreams.TooFewDocuments(files.Spec, documents));
    }

    /// <summary>Writes a cache file: <paramref name="produce"/> appends training tokens to its first sink and held-out
    /// tokens to its second, in any order.</summary>
    bool TryWriteWith(string path, string key, int vocab, Action<Append, Append> produce)
    {
        string temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp", evalTemp = temp + ".eval";
        try
        {
            Directory.CreateDirectory(Folder);
            long trainCount = 0, evalCount = 0;
            using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
                using (var evalOutput = new FileStream(evalTemp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20))
                {
                    void Write(ReadOnlySpan<byte> bytes) { output.Write(bytes); sha.AppendData(bytes); }
                    var header = new MemoryStream();
                    using (var writer = new BinaryWriter(header, Encoding.UTF8, leaveOpen: true))
                    {
                        writer.Write(Magic);
                        writer.Write(key);
                        writer.Write(vocab);
                        while (header.Length % sizeof(int) != 0) writer.Write((byte)0);
                    }
                    Write(header.ToArray());
                    // Little-endian int32s as they lie in memory: every platform .NET and libtorch run on here is little-endian.
                    void Train(ReadOnlySpan<int> tokens) { Write(MemoryMarshal.AsBytes(tokens)); trainCount += tokens.Length; }
                    void Eval(ReadOnlySpan<int> tokens) { evalOutput.Write(MemoryMarshal.AsBytes(tokens)); evalCount += tokens.Length; }
                    produce(Train, Eval);
                    evalOutput.Position = 0;
                    var buffer = new byte[1 << 20];
                    for (int n; (n = evalOutput.Read(buffer, 0, buffer.Length)) > 0;) Write(buffer.AsSpan(0, n));
                    Span<byte> counts = stackalloc byte[2 * sizeof(long)];
                    BitConverter.TryWriteBytes(counts, trainCount);
                    BitConverter.TryWriteBytes(counts[sizeof(long)..], evalCount);
                    Write(counts);
                    output.Write(sha.GetHashAndReset());
                    output.Flush(flushToDisk: true);
                }
            }
            File.Move(temp, path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        finally
        {
            foreach (var t in new[] { temp, evalTemp })
                try { if (File.Exists(t)) File.Delete(t); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    static long Align(long position) => (position + sizeof(int) - 1) / sizeof(int) * sizeof(int);

    static IDisposable? TryLock(string path)
    {
        try { return FileLock.Acquire(path, TimeSpan.FromMinutes(10)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>What identifies the tokens: every data file as it is now (and which are held out), the vocabulary (a
    /// tokenizer file as it is now) and the format.</summary>
    static string Key(CorpusFiles files, string vocabSpec)
    {
        var key = new StringBuilder($"proxies token streams v{FormatVersion}\n");
        foreach (var f in files.Train) key.Append(Identity(f)).Append('\n');
        foreach (var f in files.HeldOut) key.Append("held out: ").Append(Identity(f)).Append('\n');
        key.Append(vocabSpec);
        if (FileTokenizer.HasTokenizerExtension(vocabSpec)) key.Append('\n').Append(Identity(Path.GetFullPath(vocabSpec)));
        return key.ToString();
    }

    static string Identity(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? $"{file.FullName} {file.Length} {file.LastWriteTimeUtc.Ticks}" : $"{file.FullName} missing";
    }
}
