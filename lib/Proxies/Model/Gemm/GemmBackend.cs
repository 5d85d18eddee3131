using static TorchSharp.torch;

namespace Proxies.Model.Gemm;

/// <summary>Which library multiplies the model's float32 linear layers on the CPU. The two differ only by float32
/// rounding (the order of the sums), so the choice is the process's, not a run's config: a run's id and results
/// mean the same under either. Auto picks one for the CPU at start-up.</summary>
public enum GemmBackend { Auto, Libtorch, OpenBlas }

/// <summary>
/// The GEMM backend of this process: PROXIES_GEMM=auto (the default), libtorch or openblas, read once; `bench --gemm`
/// sets it for its own timings. Auto takes OpenBLAS on an AMD CPU, where libtorch's bundled MKL runs its slower code
/// paths (docs/performance.md, "Why the code is as it is"), and libtorch elsewhere (on Intel CPUs MKL is libtorch's
/// fast path). Asked for OpenBLAS where it cannot run (absent, or a tensor
/// it does not take), the model multiplies with libtorch, and <see cref="Describe"/> says why.
/// </summary>
public static class GemmBackends
{
    public const string Variable = "PROXIES_GEMM";

    public static (string Word, GemmBackend Value)[] Choices { get; } =
        [("auto", GemmBackend.Auto), ("libtorch", GemmBackend.Libtorch), ("openblas", GemmBackend.OpenBlas)];

    public static string Name(this GemmBackend b) => Choices.Single(c => c.Value == b).Word;

    static readonly Runtime.EnvironmentChoice<GemmBackend> Setting = new(Variable, Choices, GemmBackend.Auto);

    static GemmBackend? requested;

    /// <summary>The backend asked for (PROXIES_GEMM until set); <see cref="Active"/> is the one that runs. A misspelt
    /// PROXIES_GEMM throws here, at the first use, saying what is allowed.</summary>
    public static GemmBackend Requested { get => requested ??= Setting.Read(); set => requested = value; }

    /// <summary>The backend that runs: OpenBLAS when asked for, or picked by auto, and it loads; else libtorch.</summary>
    public static GemmBackend Active => (Requested == GemmBackend.OpenBlas || Requested == GemmBackend.Auto && AutoPrefersOpenBlas(CpuVendor.Value))
        && OpenBlas.Problem is null ? GemmBackend.OpenBlas : GemmBackend.Libtorch;

    /// <summary>Auto's rule: OpenBLAS on AMD x86-64 CPUs (vendor id AuthenticAMD), libtorch's MKL on any other.</summary>
    public static bool AutoPrefersOpenBlas(string vendor) => vendor == "AuthenticAMD";

    /// <summary>The backend in use in a word or two, for provenance: "libtorch", or "openblas (Zen)" with OpenBLAS's kernel.</summary>
    public static string Label => Active == GemmBackend.OpenBlas ? $"openblas ({OpenBlas.CoreName})" : "libtorch";

    /// <summary>One line for logs: the backend in use, OpenBLAS's kernel (and who chose it), and why this one.</summary>
    public static string Describe() => (Requested, Active) switch
    {
        (_, GemmBackend.OpenBlas) => $"GEMM: OpenBLAS ({Kernel()}) for float32 linear layers on the CPU" + (Requested == GemmBackend.Auto
            ? $" (auto: an AMD CPU, where libtorch's MKL multiplies slower; {Variable}=libtorch for libtorch's)" : ""),
        (GemmBackend.OpenBlas, _) => $"GEMM: libtorch; OpenBLAS was asked for ({Variable}=openblas) but {OpenBlas.Problem}",
        (GemmBackend.Auto, _) when AutoPrefersOpenBlas(CpuVendor.Value) =>
            $"GEMM: libtorch (auto: OpenBLAS multiplies faster on this AMD CPU, but {OpenBlas.Problem})",
        (GemmBackend.Auto, _) => $"GEMM: libtorch (auto: a {(CpuVendor.Value is { Length: > 0 } v ? v : "non-x86")} CPU, where libtorch's MKL is the fast path)",
        _ => $"GEMM: libtorch ({Variable}=libtorch)",
    };

    /// <summary>OpenBLAS's kernel, and, when OPENBLAS_CORETYPE chose it rather than OpenBLAS's own detection, a warning:
    /// some machine images set it for all programs, and an older kernel can give back most of the gain.</summary>
    static string Kernel() => Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") is { Length: > 0 } forced
        ? $"{OpenBlas.CoreName} kernel, forced by OPENBLAS_CORETYPE={forced}: unset it to let OpenBLAS pick this CPU's own"
        : $"{OpenBlas.CoreName} kernel";

    /// <summary>The CPU's vendor id (AuthenticAMD, GenuineIntel), or "" where /proc/cpuinfo has none (Arm, macOS, Windows).</summary>
    static readonly Lazy<string> CpuVendor = new(() => Runtime.CpuInfo.Field("vendor_id"));

    /// <summary>Whether x·Wᵀ goes to OpenBLAS: CPU float32 operands, sizes within its int indices, and OpenBLAS active
    /// (asked last, so that a CUDA run never loads it).</summary>
    public static bool Take(Tensor x, Tensor w) =>
        x.device_type == TorchSharp.DeviceType.CPU && w.device_type == TorchSharp.DeviceType.CPU && x.dtype == ScalarType.Float32
        && w.dtype == ScalarType.Float32 && w.dim() == 2 && x.numel() < int.MaxValue && w.numel() < int.MaxValue && Active == GemmBackend.OpenBlas;

    /// <summary>What is wrong with PROXIES_GEMM, or null when it is unset or one of <see cref="Choices"/>; the CLI refuses
    /// to start on it, and the library throws it at the first product.</summary>
    public static string? EnvironmentError() => Setting.Error();
}
