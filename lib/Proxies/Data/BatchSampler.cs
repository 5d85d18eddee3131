using static TorchSharp.torch;

namespace Proxies.Data;

/// <summary>
/// Seeded random windows of SeqLen+1 tokens from a stream: inputs are the first SeqLen, targets the last.
/// The same seed gives the same batches on every machine (System.Random with a seed is deterministic).
/// </summary>
public sealed class BatchSampler
{
    readonly ReadOnlyMemory<int> stream;
    readonly int batchSize, seqLen;
    readonly Random random;
    readonly long[] buffer;

    public BatchSampler(ReadOnlyMemory<int> stream, int batchSize, int seqLen, int seed)
    {
        if (stream.Length < seqLen + 2)
            throw new DataException($"the token stream has {stream.Length} tokens, fewer than seq-len + 2 = {seqLen + 2}; use a larger data file or a smaller --seq-len");
        (this.stream, this.batchSize, this.seqLen) = (stream, batchSize, seqLen);
        random = new Random(seed);
        buffer = new long[batchSize * (seqLen + 1)];
    }

    /// <summary>Windows drawn so far, used or skipped: where the sampler is in its seeded sequence of windows.</summary>
    public long WindowsDrawn { get; private set; }

    /// <summary>Next (inputs, targets), each (B, T) int64 on <paramref name="device"/>.</summary>
    public (Tensor Inputs, Tensor Targets) Next(Device device)
    {
        for (int b = 0; b < batchSize; b++) CopyWindow(stream.Span, NextStart(), buffer, b, seqLen);
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

    int NextStart()
    {
        WindowsDrawn++;
        return random.Next(stream.Length - seqLen - 1);
    }

    /// <summary>Fixed, evenly spaced windows of a stream, for the held-out loss (same every call).</summary>
    public static IEnumerable<(Tensor Inputs, Tensor Targets)> EvalBatches(ReadOnlyMemory<int> stream, int batches, int batchSize, int seqLen, Device device)
    {
        long windows = (long)batches * batchSize;
        long stride = Math.Max(1, (stream.Length - seqLen - 1) / windows);
        var buffer = new long[batchSize * (seqLen + 1)];
        for (int i = 0; i < batches; i++)
        {
            for (int b = 0; b < batchSize; b++)
                CopyWindow(stream.Span, ((long)i * batchSize + b) * stride % (stream.Length - seqLen - 1), buffer, b, seqLen);
            yield return Split(buffer, batchSize, seqLen, device);
        }
    }

    static void CopyWindow(ReadOnlySpan<int> stream, long start, long[] buffer, int row, int seqLen)
    {
        for (int t = 0; t <= seqLen; t++) buffer[row * (seqLen + 1) + t] = stream[(int)start + t];
    }

    static (Tensor Inputs, Tensor Targets) Split(long[] buffer, int batchSize, int seqLen, Device device)
    {
        var all = tensor(buffer, new long[] { batchSize, seqLen + 1 }).to(device);
        return (all[.., ..seqLen], all[.., 1..]);
    }
}
