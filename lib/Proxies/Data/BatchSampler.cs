using static TorchSharp.torch;

namespace Proxies.Data;

/// <summary>
/// Seeded random windows of SeqLen+1 tokens from a stream: inputs are the first SeqLen, targets the last.
/// The same seed gives the same batches on every machine (System.Random with a seed is deterministic).
/// </summary>
public sealed class BatchSampler
{
    readonly TokenStream stream;
    readonly int batchSize, seqLen;
    readonly Random random;
    readonly long[] buffer;
    readonly int[] window;

    public BatchSampler(TokenStream stream, int batchSize, int seqLen, int seed)
    {
        if (stream.Length < seqLen + 2)
            throw new DataException($"the token stream has {stream.Length} tokens, fewer than seq-len + 2 = {seqLen + 2}; use a larger data file or a smaller --seq-len");
        (this.stream, this.batchSize, this.seqLen) = (stream, batchSize, seqLen);
        random = new Random(seed);
        buffer = new long[batchSize * (seqLen + 1)];
        window = new int[seqLen + 1];
    }

    /// <summary>Windows drawn so far, used or skipped: where the sampler is in its seeded sequence of windows.</summary>
    public long WindowsDrawn { get; private set; }

    /// <summary>Next (inputs, targets), each (B, T) int64 on <paramref name="device"/>.</summary>
    public (Tensor Inputs, Tensor Targets) Next(Device device)
    {
        for (int b = 0; b < batchSize; b++) CopyWindow(stream, NextStart(), window, buffer, b);
        return Split(buffer, batchSize, seqLen, device);
    }

    /// <summary>Draws and discards <paramref name="batches"/> batches (skip-and-restart skips the data after a spike).</summary>
    public void Skip(int batches) => SkipWindows((long)batches * batchSize);

    /// <summary>Draws and discards <paramref name="windows"/> windows. System.Random's state cannot be saved, but
    /// replaying its draws reaches the same state: a resumed run reads on from where its checkpoint stopped.</summary>
    public void SkipWindows(long windows)
    {
        for (long i = 0; i < windows; i++) NextStart();
    }

    /// <summary>A window's first token, uniform over the stream. Streams of up to 2³¹ − 1 windows draw with Next(int), as
    /// every committed run did, so their batches stay the same; only longer ones need the 64-bit draw.</summary>
    long NextStart()
    {
        WindowsDrawn++;
        long starts = stream.Length - seqLen - 1;
        return starts <= int.MaxValue ? random.Next((int)starts) : random.NextInt64(starts);
    }

    /// <summary>Fixed, evenly spaced windows of a stream, for the held-out loss (same every call).</summary>
    public static IEnumerable<(Tensor Inputs, Tensor Targets)> EvalBatches(TokenStream stream, int batches, int batchSize, int seqLen, Device device)
    {
        long windows = (long)batches * batchSize;
        long stride = Math.Max(1, (stream.Length - seqLen - 1) / windows);
        var buffer = new long[batchSize * (seqLen + 1)];
        var window = new int[seqLen + 1];
        for (int i = 0; i < batches; i++)
        {
            for (int b = 0; b < batchSize; b++)
                CopyWindow(stream, ((long)i * batchSize + b) * stride % (stream.Length - seqLen - 1), window, buffer, b);
            yield return Split(buffer, batchSize, seqLen, device);
        }
    }

    static void CopyWindow(TokenStream stream, long start, int[] window, long[] buffer, int row)
    {
        stream.Read(start, window);
        for (int t = 0; t < window.Length; t++) buffer[row * window.Length + t] = window[t];
    }

    static (Tensor Inputs, Tensor Targets) Split(long[] buffer, int batchSize, int seqLen, Device device)
    {
        var all = tensor(buffer, new long[] { batchSize, seqLen + 1 }).to(device);
        return (all[.., ..seqLen], all[.., 1..]);
    }
}
