using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Proxies.Tests.Runtime;

/// <summary>
/// The CUDA build cannot be restored here (TorchSharp-cuda-linux is not on this package mirror), so its project graph is
/// checked without a restore: with -p:TorchBackend=cuda the library references TorchSharp-cuda-linux at the workbook's
/// TorchSharp version and not TorchSharp-cpu (a project cannot reference both: TorchSharp's build fails on purpose).
/// </summary>
public class CudaBuildTests
{
    static List<(string Name, string? Version)> PackageReferences(string backend)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "msbuild", Path.Combine(Repository.Root(), "lib", "Proxies", "Proxies.csproj"), "-getItem:PackageReference", $"-p:TorchBackend={backend}" })
            info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, output + p.StandardError.ReadToEnd());
        return JsonNode.Parse(output)!["Items"]!["PackageReference"]!.AsArray()
            .Select(i => ((string)i!["Identity"]!, (string?)i["Version"])).ToList();
    }

    [Fact]
    public void TheCudaBackendReferencesTorchSharpCudaLinuxAndNotTheCpuPackage()
    {
        var cuda = PackageReferences("cuda");
        Assert.Contains(("TorchSharp-cuda-linux", "0.107.0"), cuda);
        Assert.DoesNotContain(cuda, r => r.Name == "TorchSharp-cpu");
        var cpu = PackageReferences("cpu");
        Assert.Contains(("TorchSharp-cpu", "0.107.0"), cpu);
        Assert.DoesNotContain(cpu, r => r.Name == "TorchSharp-cuda-linux");
    }
}
