using Proxies.Model.Fused;
using Proxies.Model.Gemm;

namespace Proxies.Model;

/// <summary>The process's two choices of CPU kernels: the library that multiplies the linear layers
/// (<see cref="GemmBackends"/>) and the fused GELU and attention kernels (<see cref="Kernels"/>). Each changes float32
/// rounding only, as another CPU would, so neither is part of a run's config or id; the provenance records both.</summary>
public static class CpuNumerics
{
    /// <summary>Two lines for logs: the GEMM library, then the kernels, each with why.</summary>
    public static string Describe() => GemmBackends.Describe() + Environment.NewLine + Kernels.Describe();

    /// <summary>What is wrong with PROXIES_GEMM or PROXIES_KERNELS, or null; the CLI refuses to start on it.</summary>
    public static string? EnvironmentError() => GemmBackends.EnvironmentError() ?? Kernels.EnvironmentError();
}
