using System.Runtime.InteropServices;
using TorchSharp;

namespace Proxies.Runtime;

/// <summary>
/// Starts libtorch the same way in every process the workbook runs (CLI, tests, notebooks, workers):
/// passive OpenMP waiting, the Debian 12 libstdc++ fix, natives loaded from our own folder, a thread count.
/// </summary>
public static class TorchRuntime
{
    static readonly object Gate = new();
    static bool started;

    /// <summary>Environment every child process of the workbook gets (spin-waiting OpenMP threads of two
    /// processes on 2 cores made one step ~10x slower).</summary>
    public static readonly IReadOnlyDictionary<string, string> ChildEnvironment =
        new Dictionary<string, string> { ["OMP_WAIT_POLICY"] = "PASSIVE" };

    /// <summary>Loads libtorch once per process; later calls only change the thread count.</summary>
    /// <param name="threads">intra-op threads; null keeps libtorch's default (one per core).</param>
    public static void Start(int? threads = null)
    {
        if (threads is < 1)
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be at least 1 (libtorch aborts the process on 0)");
        lock (Gate)
        {
            if (!started)
            {
                SetNativeEnvironment("OMP_WAIT_POLICY", "PASSIVE");
                KeepFreedMemory();
                LoadNatives();
                started = true;
            }
            if (threads is int n) torch.set_num_threads(n);
        }
    }

    /// <summary>The CUDA device when asked for and present, else the CPU.</summary>
    public static torch.Device ResolveDevice(string device)
    {
        Start();
        switch (device)
        {
            case "cpu": return torch.CPU;
            case "cuda":
                // InitializeDeviceType gives the real error instead of a silent cuda.is_available() == false.
                torch.InitializeDeviceType(DeviceType.CUDA);
                return torch.CUDA;
            case "auto": return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
            default: throw new ArgumentException($"device must be auto, cpu or cuda, not '{device}'");
        }
    }

    // .NET keeps its own copy of the environment on Unix: Environment.SetEnvironmentVariable is not seen
    // by native code, so libgomp would never read it. setenv(3) before the first native load is.
    [DllImport("libc", EntryPoint = "setenv")]
    static extern int setenv(string name, string value, int overwrite);

    /// <summary>Sets an environment variable for native code too, unless the user set it already.</summary>
    internal static void SetNativeEnvironment(string name, string value)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) { Environment.SetEnvironmentVariable(name, value); return; }
        if (Environment.GetEnvironmentVariable(name) is null) Environment.SetEnvironmentVariable(name, value);
        setenv(name, Environment.GetEnvironmentVariable(name)!, 0);
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int mallopt(int param, int value);

    /// <summary>
    /// libtorch's CPU allocator uses malloc, and glibc serves blocks above its mmap threshold (128 KiB, adaptive up
    /// to 32 MiB) with fresh mmaps that are returned on free, so every op on a large tensor (the B·T × V logits)
    /// page-faults its memory in again. Keeping freed memory in the heap removes that (a third off a word-level model's
    /// step: docs/performance.md#why-the-code-is-as-it-is).
    /// </summary>
    static void KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            const int M_TRIM_THRESHOLD = -1, M_TOP_PAD = -2, M_MMAP_THRESHOLD = -3;
            mallopt(M_MMAP_THRESHOLD, 32 << 20);    // the largest glibc accepts
            mallopt(M_TRIM_THRESHOLD, 1 << 30);
            mallopt(M_TOP_PAD, 256 << 20);
        }
        catch (EntryPointNotFoundException) { }      // not glibc (musl): nothing to tune
        catch (DllNotFoundException) { }
    }

    static readonly string[] NativeLoadOrder =
        { "libc10.so", "libc10_cuda.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so", "libLibTorchSharp.so" };

    /// <summary>
    /// Loads libtorch from the folder of TorchSharp.dll by absolute path. TorchSharp itself first asks the
    /// default search path for "torch_cpu", where a distribution libtorch (Debian's is 1.13) would win and
    /// then fail with an undefined symbol.
    /// </summary>
    static void LoadNatives()
    {
        if (!OperatingSystem.IsLinux()) return; // macOS and Windows load fine through TorchSharp itself.
        string folder = Path.GetDirectoryName(typeof(torch).Assembly.Location)!;
        string sharp = Path.Combine(folder, "libLibTorchSharp.so");
        if (!File.Exists(sharp))
            throw new TorchLoadException($"libLibTorchSharp.so is not beside TorchSharp.dll in {folder}. Build with a runtime " +
                "identifier (the workbook's Directory.Build.props sets this machine's own) or publish with -r linux-x64, and reference the " +
                "TorchSharp-cpu (or TorchSharp-cuda-linux) package, not plain TorchSharp.");
        if (GlibcxxWeakPatch.IsNeeded()) TryPatch(sharp);
        foreach (var name in NativeLoadOrder)
        {
            string path = Path.Combine(folder, name);
            if (!File.Exists(path)) continue;
            try { NativeLibrary.Load(path); }
            catch (Exception e)
            {
                throw new TorchLoadException($"Loading {path} failed: {e.Message}\n" +
                    $"Run `ldd {path}` to see the missing piece. On Debian 12, a 'GLIBCXX_3.4.32 not found' error means the " +
                    "libstdc++ fix did not apply: rebuild (the build patches the file) or make the folder writable.", e);
            }
        }
    }

    static void TryPatch(string path)
    {
        try { GlibcxxWeakPatch.Apply(path); }
        catch (IOException) { } // read-only install: the load below reports the cause if it mattered
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>libtorch could not be loaded; the message names the cause and the fix.</summary>
public sealed class TorchLoadException(string message, Exception? inner = null) : Exception(message, inner);
