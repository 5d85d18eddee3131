using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Proxies.Tests.Benchmarks;

/// <summary>bench/compare.py prints a speed ratio only against a fair peer: the idiomatic PyTorch peer's own GEMM peak at
/// least 70% of the one Proxies measured in the same sitting. Saved results stand in for the runs (no torch needed).</summary>
public class CompareScriptTests
{
    static string Result(string framework, double peak, double tokensPerSecond) => new JsonObject
    {
        ["framework"] = framework, ["version"] = "test", ["threads"] = 2, ["matmul"] = "fp32", ["gemm_gflops"] = peak,
        ["blas"] = new JsonObject { ["libraries"] = new JsonArray("libopenblas.so.0"), ["openblas_core"] = "Prescott" },
        ["configs"] = new JsonArray(new JsonObject
        {
            ["name"] = "d128", ["width"] = 128, ["depth"] = 4, ["heads"] = 4, ["seq_len"] = 128, ["batch_size"] = 32,
            ["ms_per_step"] = 4096e3 / tokensPerSecond, ["tokens_per_s"] = tokensPerSecond, ["gflops"] = 50, ["mfu"] = 0.4, ["probe_overhead"] = 1.1,
        }),
    }.ToJsonString();

    static (int Code, string Stdout) Compare(double proxiesPeak, double pytorchPeak)
    {
        var folder = Directory.CreateTempSubdirectory("proxies-compare-").FullName;
        string px = Path.Combine(folder, "proxies.json"), pt = Path.Combine(folder, "peer.json");
        File.WriteAllText(px, Result("proxies", proxiesPeak, 15000));
        File.WriteAllText(pt, Result("pytorch-peer", pytorchPeak, 10000));
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(Repository.Root(), "bench", "compare.py"), "--proxies-json", px, "--peer-json", pt, "--mirror", "off" }) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void ACrippledPeerGetsNoRatio()
    {
        var (code, output) = Compare(proxiesPeak: 150, pytorchPeak: 45);   // a generic OpenBLAS kernel: 30%
        Assert.Equal(3, code);
        Assert.Contains("withheld", output);
        Assert.Contains("45.0 GFLOP/s is 30% of the 150.0", output);
        Assert.DoesNotContain("1.50x", output);
    }

    [Fact]
    public void AFairPeerGetsItsRatio()
    {
        var (code, output) = Compare(proxiesPeak: 150, pytorchPeak: 140);
        Assert.Equal(0, code);
        Assert.Contains("tokens/s Proxies / peer: 1.50x", output);
    }
}
