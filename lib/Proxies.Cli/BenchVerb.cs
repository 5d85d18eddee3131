using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using System.Text.Json;
using Proxies.Benchmarks;
using Proxies.Experiments;
using Proxies.Model;
using Proxies.Model.Gemm;
using Proxies.Runtime;
using Proxies.Sweeps;

namespace Proxies.Cli;

/// <summary>`bench`: how fast Proxies trains here, against the machine's fp32 matrix-multiply ceiling measured in the same run.</summary>
public static class BenchVerb
{
    public const string Help = """
        bench: training speed on this machine, and how close it is to the hardware's limit.
          --configs d64,d128,d256 (all)   --steps N (30 timed steps)   --threads N (all cores)   --device auto|cpu|cuda
          --memory-steps N (2000; 0 skips)   --sweep on|off (on: runs/hour, 1 process vs one per core)   --json
          --matmul fp32|bf16 (fp32; bf16: the linear layers in bfloat16, as `train --matmul bf16`; the step timings and
                              the memory run use it, the sweep throughput is always the fp32 smoke grid)
        Per config: ms/step, tokens/s, GFLOP/s, MFU (against the GEMM peak of the matmul dtype, measured here),
        probe overhead, and the step's weight GEMMs timed alone at the model's shapes (the ceiling for this model):
        their ms, GFLOP/s, and share of the step.
          --fused on|off (PROXIES_KERNELS, else on)   the fused CPU kernels (Model/Fused); off times libtorch's forms instead
          --gemm auto|libtorch|openblas (PROXIES_GEMM, else auto: OpenBLAS on AMD CPUs)   which library multiplies the
                                fp32 linear layers on the CPU; the GEMM peak, the step and its weight GEMMs are timed in it
          --gelu tanh|exact     the model's GELU, as `train` takes it
          --kernels             only time one block's non-GEMM ops alone, forward + backward, at each config's shapes,
                                in each form the model can run them (the experiments in docs/performance.md)
        """;

    public static int Run(string[] args)
    {
        var cl = new CommandLine(args, new HashSet<string> { "--json", "--kernels" });
        var names = (cl.String("--configs") ?? string.Join(",", StepBenchmark.Standard.Select(s => s.Name))).Split(',');
        foreach (var n in names)
            if (StepBenchmark.Standard.All(s => s.Name != n))
                throw new UsageException($"--configs {n}: must be a comma-separated list of {string.Join(", ", StepBenchmark.Standard.Select(s => s.Name))}");
        int steps = cl.Int("--steps", 30);
        if (steps < 3) throw new UsageException($"--steps {steps}: must be at least 3");
        int memorySteps = cl.Int("--memory-steps", 2000);
        if (memorySteps is < 0 or (> 0 and < 200)) throw new UsageException($"--memory-steps {memorySteps}: must be 0 (skip) or at least 200");
        bool sweep = cl.OnOff("--sweep", true);
        bool json = cl.Has("--json");
        bool kernels = cl.Has("--kernels");
        Proxies.Model.Fused.Kernels.Enabled = cl.OnOff("--fused", Proxies.Model.Fused.Kernels.Enabled);
        Environment.SetEnvironmentVariable(Proxies.Model.Fused.Kernels.Variable, Proxies.Model.Fused.Kernels.Enabled ? "fused" : "libtorch");
        GemmBackends.Requested = cl.Choice("--gemm", GemmBackends.Requested, GemmBackends.Choices);
        Environment.SetEnvironmentVariable(GemmBackends.Variable, GemmBackends.Requested.Name());   // the sweep timing's workers too
        var matmul = TrainVerb.ReadMatmul(cl, MatmulPrecision.Fp32);
        var kernelSwitches = TrainVerb.ReadSwitches(cl, "--gelu");
        var (deviceName, threads) = TrainVerb.ReadRuntime(cl);
        cl.RejectUnknown("bench");

        TorchRuntime.Start(threads);
        var device = TorchRuntime.ResolveDevice(deviceName);
        int threadCount = TorchSharp.torch.get_num_threads();
        void Say(string line) { if (!json) Console.WriteLine(line); }

        if (kernels) return TimeKernels(names, matmul, device, threadCount);

        double peak = GemmPeak.Measure(device);
        double bf16 = GemmPeak.Measure(device, dtype: TorchSharp.torch.ScalarType.BFloat16);
        Say(CpuNumerics.Describe());
        Say($"fp32 GEMM peak: {peak:F0} GFLOP/s ({threadCount} threads, {device.type}); bf16 GEMM: {bf16:F1} GFLOP/s; timing {matmul.Name()} matmuls");
        double ceiling = matmul == MatmulPrecision.Bf16 ? bf16 : peak;
        var timings = new List<StepTiming>();
        foreach (var (name, width, depth, seq, batch) in StepBenchmark.Standard.Where(s => names.Contains(s.Name)))
        {
            var t = StepBenchmark.Measure(name, kernelSwitches(StepBenchmark.ConfigFor(width, depth, seq, batch, steps + 1, matmul)), ceiling, device);
            timings.Add(t);
            Say($"{name}: width {width}, {depth} layers, seq {seq}, batch {batch}, GELU {t.Config.Model.Gelu}, {Proxies.Model.Fused.Kernels.Label} kernels: {t.MsPerStep:F1} ms/step, {t.TokensPerSecond:F0} tokens/s, " +
                $"{t.Gflops:F1} GFLOP/s = {t.Mfu:P0} of the {matmul.Name()} peak; probes every step ×{t.ProbeOverhead:F2}");
            Say($"  its weight GEMMs alone: {t.StepGemmMs:F1} ms ({t.StepGemmGflops:F0} GFLOP/s at the model's shapes) = {t.GemmShare:P0} of the step");
        }
        MemoryGrowth? memory = null;
        if (memorySteps > 0)
        {
            memory = MemoryGrowth.Measure(StepBenchmark.ConfigFor(64, 2, 64, 32, memorySteps, matmul), device);
            Say($"memory over {memory.Steps} steps (d64): {memory.RssAfterWarmupMb:F0} MiB after warm-up, {memory.RssAtEndMb:F0} MiB at the end ({memory.Growth:+0.0%;-0.0%}), peak {memory.PeakRssMb:F0} MiB");
        }
        double? oneProcess = null, workers = null;
        int cores = Environment.ProcessorCount;
        if (sweep)
        {
            oneProcess = SweepThroughput.RunsPerHour(new InProcessExecutor(deviceName, threads), 1);
            workers = SweepThroughput.RunsPerHour(new WorkerPoolExecutor(Self.FileName, Self.ArgumentsPrefix, cores, 1, deviceName), cores);
            Say($"sweep of 8 small runs: {oneProcess:F0} runs/hour in one process ({threadCount} threads), {workers:F0} runs/hour with {cores} worker processes of one thread (×{workers / oneProcess:F2})");
        }
        if (json) Console.WriteLine(Json(peak, bf16, matmul, ceiling, threadCount, device.type.ToString(), timings, memory, oneProcess, workers, cores));
        return 0;
    }

    static int TimeKernels(string[] names, MatmulPrecision matmul, TorchSharp.torch.Device device, int threads)
    {
        foreach (var (name, width, depth, seq, batch) in StepBenchmark.Standard.Where(s => names.Contains(s.Name)))
        {
            var config = StepBenchmark.ConfigFor(width, depth, seq, batch, 2, matmul);
            Console.WriteLine($"{name}: one block's non-GEMM ops, forward + backward, ms ({threads} threads, {device.type}; a block has one GELU, "
                + "one attention, and a RoPE and a qk-LayerNorm on each of q and k)");
            foreach (var k in KernelTimings.Measure(config.Model, config.BatchSize, device))
                Console.WriteLine($"  {k.Op,-38} {k.Shape,-16} {k.Ms,8:F2}");
        }
        return 0;
    }

    static string Json(double peak, double bf16Peak, MatmulPrecision matmul, double ceiling, int threads, string device, List<StepTiming> timings, MemoryGrowth? memory, double? oneProcess, double? workers, int cores)
    {
        var root = new JsonObject
        {
            ["framework"] = "proxies",
            ["version"] = typeof(StepBenchmark).Assembly.GetName().Version?.ToString(),
            ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(),
            ["machine"] = RuntimeInformation.OSDescription,
            ["device"] = device,
            ["threads"] = threads,
            ["matmul"] = matmul.Name(),
            ["gemm_backend"] = GemmBackends.Active.Name(),
            ["openblas_core"] = GemmBackends.Active == GemmBackend.OpenBlas ? OpenBlas.CoreName : null,
            // MFU's denominator: the peak of the dtype the linear layers ran in.
            ["gemm_gflops"] = ceiling,
            ["fp32_gemm_gflops"] = peak,
            ["bf16_gemm_gflops"] = bf16Peak,
            ["configs"] = new JsonArray(timings.Select(t => (JsonNode)new JsonObject
            {
                ["name"] = t.Name, ["width"] = t.Config.Model.Width, ["depth"] = t.Config.Model.Depth, ["heads"] = t.Config.Model.Heads,
                ["seq_len"] = t.Config.Model.SeqLen, ["batch_size"] = t.Config.BatchSize,
                ["gelu"] = t.Config.Model.Gelu.ToString(), ["kernels"] = Proxies.Model.Fused.Kernels.Label,
                ["ms_per_step"] = t.MsPerStep, ["tokens_per_s"] = t.TokensPerSecond, ["gflops"] = t.Gflops, ["mfu"] = t.Mfu,
                ["probe_overhead"] = t.ProbeOverhead,
                ["step_gemm_ms"] = t.StepGemmMs, ["step_gemm_gflops"] = t.StepGemmGflops, ["gemm_share"] = t.GemmShare,
            }).ToArray()),
        };
        if (memory is not null)
            root["memory"] = new JsonObject
            {
                ["steps"] = memory.Steps, ["rss_after_warmup_mb"] = memory.RssAfterWarmupMb, ["rss_at_end_mb"] = memory.RssAtEndMb,
                ["growth"] = memory.Growth, ["peak_rss_mb"] = memory.PeakRssMb,
            };
        if (oneProcess is not null)
            root["sweep"] = new JsonObject { ["runs_per_hour_one_process"] = oneProcess, ["runs_per_hour_workers"] = workers, ["workers"] = cores };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
