using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Proxies.Data;

/// <summary>
/// int32 tokens in a file (the token cache), read by positioned reads: each window a batch draws is one read, so a corpus
/// of any size costs memory for a batch only. A memory mapping was tried first; on Linux the pages it faults in stay
/// resident, whole large folios at a time, so a long run's resident set grew towards the size of the corpus
/// (docs/performance.md#why-the-code-is-as-it-is). Worker processes reading the same file still share it
/// through the page cache. The handle lives as long as the process (streams are cached per process); the cache replaces
/// files by renaming, so an open file is never rewritten under a reader.
/// </summary>
public sealed class FileTokens(string path, long offset, long count) : TokenStream
{
    readonly SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    public override long Length => count;

    public override void Read(long start, Span<int> into)
    {
        if (start < 0 || start + into.Length > count)
            throw new ArgumentOutOfRangeException(nameof(start), $"tokens {start}..{start + into.Length} are outside the stream's {count}");
        var bytes = MemoryMarshal.AsBytes(into);
        for (int done = 0; done < bytes.Length;)
        {
            int n = RandomAccess.Read(file, bytes[done..], offset + start * sizeof(int) + done);
            if (n <= 0) throw new EndOfStreamException($"{path} ends before token {start + into.Length}; delete it to have it rebuilt");
            done += n;
        }
    }
}
