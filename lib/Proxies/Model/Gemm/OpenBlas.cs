using System.Runtime.InteropServices;

namespace Proxies.Model.Gemm;

/// <summary>
/// OpenBLAS's single-precision GEMM, loaded at run time from the system (Debian: `apt-get install
/// libopenblas0-pthread`). Why: libtorch's bundled MKL takes slow code paths on AMD CPUs (docs/performance.md), while
/// OpenBLAS picks a kernel for the CPU it finds. Nothing is linked at build time: where the library is absent,
/// <see cref="Problem"/> says so and the model multiplies with libtorch. OpenBLAS reads OPENBLAS_CORETYPE from the
/// environment when it loads; a core type set there overrides its own detection (and can slow it: see
/// environment.md), and <see cref="CoreName"/> says which kernel it runs.
/// </summary>
public static unsafe class OpenBlas
{
    /// <summary>Where the library is looked for: PROXIES_OPENBLAS (a path to libopenblas.so.0) alone when it is set;
    /// else Debian's pthread build, then the loader's own search.</summary>
    public const string PathVariable = "PROXIES_OPENBLAS";
    static readonly string[] Candidates =
    [
        "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
        "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
        "libopenblas.so.0",
        "libopenblas",
    ];

    // cblas enums (cblas.h)
    const int RowMajor = 101, NoTrans = 111, Trans = 112;

    static readonly Lazy<string?> Library = new(() => Load(Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } own ? [own] : Candidates));
    // openblas_set_num_threads is not safe against a product running on another thread: both go through this gate.
    static readonly Lock Gate = new();
    static delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> sgemm;
    static delegate* unmanaged<int, void> setThreads;
    static delegate* unmanaged<nint> coreName;
    static int threads;

    /// <summary>Why OpenBLAS cannot be used here, or null.</summary>
    public static string? Problem => Library.Value;

    /// <summary>The kernel OpenBLAS chose for this CPU (e.g. Zen, Haswell, SkylakeX, Cooperlake), or null when absent.</summary>
    public static string? CoreName => Problem is null ? Marshal.PtrToStringAnsi(coreName()) : null;

    /// <summary>Loads the first of <paramref name="paths"/> that is OpenBLAS with 32-bit integers; else says why none
    /// could be used (null when one loaded).</summary>
    internal static string? Load(IReadOnlyList<string> paths)
    {
        // OpenBLAS's threads spin for a while after each product before they sleep, and on 2 cores take a core from
        // libtorch's next op (docs/performance.md, "Why the code is as it is"); 2^4 cycles makes them sleep at once.
        // Read when the library loads; a value the user set is kept.
        Runtime.TorchRuntime.SetNativeEnvironment("OPENBLAS_THREAD_TIMEOUT", "4");
        foreach (var path in paths)
        {
            if (!NativeLibrary.TryLoad(path, out var handle)) continue;
            if (!NativeLibrary.TryGetExport(handle, "cblas_sgemm", out var g)
                || !NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out var t)
                || !NativeLibrary.TryGetExport(handle, "openblas_get_corename", out var c)
                || !NativeLibrary.TryGetExport(handle, "openblas_get_config", out var config))
                return $"{path} loaded but lacks cblas_sgemm, openblas_set_num_threads, openblas_get_corename or openblas_get_config: not OpenBLAS";
            // An ILP64 build reads 64-bit integers where this passes 32-bit ones.
            if (Marshal.PtrToStringAnsi(((delegate* unmanaged<nint>)config)()) is { } built && built.Contains("USE64BITINT"))
                return $"{path} is a 64-bit-integer (ILP64) build ({built}); install the LP64 one (Debian: libopenblas0-pthread)";
            sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)g;
            setThreads = (delegate* unmanaged<int, void>)t;
            coreName = (delegate* unmanaged<nint>)c;
            return null;
        }
        return $"OpenBLAS was not found ({string.Join(", ", paths)}); on Debian or Ubuntu: apt-get install libopenblas0-pthread, "
            + $"or set {PathVariable} to a libopenblas.so.0";
    }

    /// <summary>C = op(A)·op(B) for row-major float32 matrices, C m × n, inner dimension k; op transposes when asked.
    /// lda, ldb and ldc are the row strides of A, B and C as stored. Runs on <paramref name="threadCount"/> threads.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, int threadCount)
    {
        if (Problem is { } p) throw new InvalidOperationException(p);
        lock (Gate)
        {
            if (threadCount != threads) { setThreads(threadCount); threads = threadCount; }
            sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, 1f, a, lda, b, ldb, 0f, c, ldc);
        }
    }
}
