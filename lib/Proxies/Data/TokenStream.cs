namespace Proxies.Data;

/// <summary>
/// A sequence of tokens, read a window at a time: held in memory (a corpus tokenized here and now) or read from the
/// token cache file (<see cref="FileTokens"/>, a corpus of any size). Readers copy out the windows they need, so memory
/// holds a batch, not the corpus.
/// </summary>
public abstract class TokenStream
{
    public abstract long Length { get; }

    /// <summary>Copies tokens [<paramref name="start"/>, start + into.Length) into <paramref name="into"/>.</summary>
    public abstract void Read(long start, Span<int> into);

    public static implicit operator TokenStream(int[] tokens) => new InMemory(tokens);

    /// <summary>Every token, in order, a chunk at a time (the last chunk may be shorter).</summary>
    public IEnumerable<int[]> Chunks(int size = 1 << 20)
    {
        for (long start = 0; start < Length; start += size)
        {
            var chunk = new int[Math.Min(size, Length - start)];
            Read(start, chunk);
            yield return chunk;
        }
    }

    /// <summary>All tokens in one array (a small corpus, tests).</summary>
    public int[] ToArray()
    {
        if (Length > Array.MaxLength) throw new InvalidOperationException($"{Length:N0} tokens do not fit in one array; read them in chunks");
        var all = new int[Length];
        Read(0, all);
        return all;
    }

    sealed class InMemory(int[] tokens) : TokenStream
    {
        public override long Length => tokens.Length;

        public override void Read(long start, Span<int> into) => tokens.AsSpan(checked((int)start), into.Length).CopyTo(into);
    }
}
