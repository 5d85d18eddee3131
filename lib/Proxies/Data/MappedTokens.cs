using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace Proxies.Data;

/// <summary>
/// int32 tokens in a file, memory-mapped read-only: a corpus of any size costs only the pages a batch touches, and
/// worker processes reading the same cache file share them. Lives as long as the process (streams are cached per
/// process); the file must not be rewritten in place while mapped (the cache replaces files by renaming, so it never is).
/// </summary>
public sealed unsafe class MappedTokens : MemoryManager<int>
{
    readonly MemoryMappedFile file;
    readonly MemoryMappedViewAccessor view;
    readonly int* tokens;
    readonly int count;

    public MappedTokens(string path, long offset, int count)
    {
        this.count = count;
        file = MemoryMappedFile.CreateFromFile(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete),
            null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        view = file.CreateViewAccessor(offset, Math.Max(1, (long)count * sizeof(int)), MemoryMappedFileAccess.Read);
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        tokens = (int*)(start + view.PointerOffset);
    }

    public override Span<int> GetSpan() => new(tokens, count);

    public override MemoryHandle Pin(int elementIndex = 0) => new(tokens + elementIndex);

    public override void Unpin() { }

    protected override void Dispose(bool disposing)
    {
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        file.Dispose();
    }
}
