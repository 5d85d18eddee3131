using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Proxies.Results;

namespace Proxies.Data;

/// <summary>
/// Tokenized corpora on disk, so that the worker processes of a sweep tokenize a corpus once between them rather
/// than once each (learning BPE on Brown takes seconds). One file per data file and vocabulary, named by a hash of
/// the data file's full path, length and last-write time, the vocab spec (with a tokenizer file's own identity)
/// and <see cref="FormatVersion"/>: an edited file, another vocabulary or a new format is a miss. Files are written
/// atomically and end with a SHA-256 of their content; one that cannot be read or does not check out is a miss
/// and is rebuilt, never an error. A folder that cannot be written only means no caching.
/// </summary>
public sealed class TokenStreamCache(string folder)
{
    /// <summary>Bump when tokenization or this file format changes, so old files are not read.</summary>
    public const int FormatVersion = 1;
    static ReadOnlySpan<byte> Magic => "PXTOKENS"u8;

    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>Reads the cached streams if there are valid ones, else tokenizes and writes them. While one process
    /// tokenizes, others asking for the same file wait for it instead of doing the same work.</summary>
    public TokenStreams Load(string dataPath, string vocabSpec)
    {
        dataPath = Path.GetFullPath(dataPath);
        if (TryRead(dataPath, vocabSpec) is { } cached) return cached;
        using (TryLock(PathFor(dataPath, vocabSpec) + ".lock"))
        {
            if (TryRead(dataPath, vocabSpec) is { } builtMeanwhile) return builtMeanwhile;
            var streams = TokenStreams.FromCorpus(TextCorpus.Load(dataPath), vocabSpec);
            TryWrite(streams);
            return streams;
        }
    }

    /// <summary>The cache file for a data file and vocabulary (whether it exists or not).</summary>
    public string PathFor(string dataPath, string vocabSpec)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Key(Path.GetFullPath(dataPath), vocabSpec)));
        return Path.Combine(Folder, $"tokens-{Convert.ToHexStringLower(hash)[..32]}.bin");
    }

    /// <summary>The cached streams, or null when there is no valid file for them.</summary>
    public TokenStreams? TryRead(string dataPath, string vocabSpec)
    {
        dataPath = Path.GetFullPath(dataPath);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(PathFor(dataPath, vocabSpec)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        const int hashLength = SHA256.HashSizeInBytes;
        if (bytes.Length < Magic.Length + hashLength || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic)) return null;
        var body = bytes.AsSpan(0, bytes.Length - hashLength);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(body.Length))) return null;
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, Magic.Length, body.Length - Magic.Length));
            // The key inside guards against a hash collision and makes a file say what it holds.
            if (reader.ReadString() != Key(dataPath, vocabSpec)) return null;
            int vocab = reader.ReadInt32();
            var train = ReadInts(reader);
            var eval = ReadInts(reader);
            return reader.BaseStream.Position == reader.BaseStream.Length ? new TokenStreams(train, eval, vocab, dataPath, vocabSpec) : null;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or OverflowException) { return null; }
    }

    /// <summary>Writes the streams' cache file; false when the folder cannot be written (a full or read-only disk).</summary>
    public bool TryWrite(TokenStreams streams)
    {
        using var buffer = new MemoryStream();
        buffer.Write(Magic);
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Key(streams.Source, streams.VocabSpec));
            writer.Write(streams.Vocab);
            WriteInts(writer, streams.Train);
            WriteInts(writer, streams.Eval);
        }
        buffer.Write(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
        try
        {
            AtomicFile.WriteAllBytes(PathFor(streams.Source, streams.VocabSpec), buffer.ToArray());
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    static IDisposable? TryLock(string path)
    {
        try { return FileLock.Acquire(path, TimeSpan.FromMinutes(10)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>What identifies the tokens: the data file as it is now, the vocabulary (a tokenizer file as it is
    /// now) and the format.</summary>
    static string Key(string dataPath, string vocabSpec)
    {
        var key = new StringBuilder($"proxies token streams v{FormatVersion}\n{Identity(dataPath)}\n{vocabSpec}");
        if (FileTokenizer.HasTokenizerExtension(vocabSpec)) key.Append('\n').Append(Identity(Path.GetFullPath(vocabSpec)));
        return key.ToString();
    }

    static string Identity(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? $"{file.FullName} {file.Length} {file.LastWriteTimeUtc.Ticks}" : $"{file.FullName} missing";
    }

    // Little-endian int32s as they lie in memory: every platform .NET and libtorch run on here is little-endian.
    static void WriteInts(BinaryWriter writer, int[] values)
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    static int[] ReadInts(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        if (length < 0 || (long)length * sizeof(int) > reader.BaseStream.Length - reader.BaseStream.Position) throw new EndOfStreamException();
        var values = new int[length];
        if (reader.Read(MemoryMarshal.AsBytes(values.AsSpan())) != length * sizeof(int)) throw new EndOfStreamException();
        return values;
    }
}
