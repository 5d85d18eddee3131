using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Proxies.Results;

/// <summary>Where a result came from: the git commit of the working folder and the machine.</summary>
public static class Provenance
{
    /// <summary>HEAD's commit, read from .git without running git; "unknown" outside a checkout.</summary>
    public static string GitCommit()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var git = Path.Combine(dir.FullName, ".git");
            if (!Directory.Exists(git)) continue;
            try
            {
                var head = File.ReadAllText(Path.Combine(git, "HEAD")).Trim();
                if (!head.StartsWith("ref: ")) return head;
                var refName = head[5..];
                var loose = Path.Combine(git, refName);
                if (File.Exists(loose)) return File.ReadAllText(loose).Trim();
                var packed = Path.Combine(git, "packed-refs");
                if (File.Exists(packed))
                    foreach (var line in File.ReadLines(packed))
                        if (line.EndsWith(" " + refName)) return line[..line.IndexOf(' ')];
            }
            catch (IOException) { }
            return "unknown";
        }
        return "unknown";
    }

    public static JsonObject Machine() => new()
    {
        ["name"] = Environment.MachineName,
        ["os"] = RuntimeInformation.OSDescription,
        ["cpu"] = Cpu(),
        ["cpu_cores"] = Environment.ProcessorCount,
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
        ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(),
        // The library that multiplies float32 linear layers on the CPU (not a CUDA or bf16 run's): results differ in the
        // last bits between them.
        ["cpu_fp32_gemm"] = Model.Gemm.GemmBackends.Label,
        ["cpu_kernels"] = Model.Fused.Kernels.Label,
    };

    /// <summary>The CPU's model name and family from /proc/cpuinfo (Linux), else the architecture: results from another
    /// CPU differ in the last bits (float32 reductions follow the vector width).</summary>
    public static string Cpu() =>
        Runtime.CpuInfo.Field("model name") is { Length: > 0 } model ? $"{model} (family {Runtime.CpuInfo.Field("cpu family")})"
            : RuntimeInformation.ProcessArchitecture.ToString();
}
