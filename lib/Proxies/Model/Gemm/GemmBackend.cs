using static TorchSharp.torch;

namespace Proxies.Model.Gemm;

/// <summary>Which library multiplies the model's float32 linear layers on the CPU. The two differ only by float32
/// rounding (the order of the sums), so the choice is the process's, not a run's config: a run's id and results
/// mean the same under either.</summary>
public enum GemmBackend { Libtorch, OpenBlas }

/// <summary>
/// The GEMM backend of this process: PROXIES_GEMM=libtorch (the default) or openblas, read once; `bench --gemm`
/// sets it for its own timings. Asked for OpenBLAS where it cannot run (absent, or a tensor it does not take), the
/// model multiplies with libtorch, and <see cref="Describe"/> says why.
/// </summary>
public static class GemmBackends
{
    public const string Variable = "PROXIES_GEMM";

    public static (string Word, GemmBackend Value)[] Choices { get; } = [("libtorch", GemmBackend.Libtorch), ("openblas", GemmBackend.OpenBlas)];

    public static string Name(this GemmBackend b) => Choices.Single(c => c.Value == b).Word;

    static GemmBackend? requested;

    /// <summary>The backend asked for (PROXIES_GEMM until set); <see cref="Active"/> is the one that runs. A misspelt
    /// PROXIES_GEMM is refused here, at the first use, with what is allowed.</summary>
    public static GemmBackend Requested { get => requested ??= FromEnvironment(); set => requested = value; }

    /// <summary>OpenBLAS when it was asked for and loads, else libtorch.</summary>
    public static GemmBackend Active => Requested == GemmBackend.OpenBlas && OpenBlas.Problem is null ? GemmBackend.OpenBlas : GemmBackend.Libtorch;

    /// <summary>The backend in use in a word or two, for provenance: "libtorch", or "openblas (Zen)" with OpenBLAS's kernel.</summary>
    public static string Label => Active == GemmBackend.OpenBlas ? $"openblas ({OpenBlas.CoreName})" : "libtorch";

    /// <summary>One line for logs: the backend in use, OpenBLAS's kernel, or why OpenBLAS was asked for and not used.</summary>
    public static string Describe() => (Requested, Active) switch
    {
        (GemmBackend.OpenBlas, GemmBackend.OpenBlas) => $"GEMM: OpenBLAS ({OpenBlas.CoreName} kernel) for float32 linear layers on the CPU",
        (GemmBackend.OpenBlas, _) => $"GEMM: libtorch; OpenBLAS was asked for ({Variable}=openblas) but {OpenBlas.Problem}",
        _ => "GEMM: libtorch",
    };

    /// <summary>Whether x·Wᵀ goes to OpenBLAS: asked for, loaded, CPU float32 operands, sizes within its int indices.</summary>
    public static bool Take(Tensor x, Tensor w) =>
        Active == GemmBackend.OpenBlas && x.device_type == TorchSharp.DeviceType.CPU && w.device_type == TorchSharp.DeviceType.CPU
        && x.dtype == ScalarType.Float32 && w.dtype == ScalarType.Float32 && w.dim() == 2 && x.numel() < int.MaxValue && w.numel() < int.MaxValue;

    static GemmBackend FromEnvironment()
    {
        var word = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(word)) return GemmBackend.Libtorch;
        foreach (var (w, v) in Choices) if (w == word.ToLowerInvariant()) return v;
        throw new Training.InvalidConfigException([new Training.ConfigError(Variable, word, $"must be one of {string.Join(", ", Choices.Select(c => c.Word))}")]);
    }
}
