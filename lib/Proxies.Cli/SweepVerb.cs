using Proxies.Experiments;
using Proxies.Model;
using Proxies.Runtime;
using Proxies.Training;

namespace Proxies.Cli;

/// <summary>`sweep &lt;experiment&gt;`: a named grid of runs into DIR/&lt;experiment&gt;/, resumable, in parallel workers.</summary>
public static class SweepVerb
{
    public const string Help = """
        sweep <experiment>: run a named grid of training runs (see `experiments`), resumably.
          --profile smoke|quick|paper (quick)   --out DIR (runs)   --workers N (cores, one thread each)
          --shard i/n (0/1: all)   --device auto|cpu|cuda   --threads N (per worker)
          --matmul fp32|bf16 (fp32; bf16: every run's linear layers in bfloat16, as `train --matmul bf16`; new run
                              ids, and a folder holds one precision: use another --out)
          --fused-kernels     every run with the fused C# GELU (tanh form) and attention kernels, as `train --gelu
                              fusedtanh --attention fused`: faster on a CPU, equal to libtorch's up to float32 rounding,
                              not bit for bit; new run ids, and a folder holds one kind: use another --out
        Writes DIR/<experiment>/runs.csv, curves/<run_id>.csv and manifest.json. Running it again skips finished
        runs; a sweep killed at any moment resumes with no duplicate, missing or torn rows.
          --slurm [sbatch options...]   submit it as a Slurm job array instead: every argument after --slurm goes to
                              sbatch (e.g. --slurm --partition=gpu --time=4:00:00 --cpus-per-task=4). Task i of n runs
                              shard i/n into DIR/slurm/<experiment>/task-i, requeued on preemption; a merge job after
                              the array pools them into DIR/<experiment>. Rerun the same command to finish what a
                              cancelled task left.
          --tasks N (one per run)        the array's size, with --slurm
          --data FILE|FOLDER|GLOB  --vocab SPEC   train every run on this corpus and vocabulary (as `train`; the paper
                              profile wants C4's en/*.json.gz shards and a 32k vocabulary, e.g. T5's spiece.model)
          --checkpoint-every N (500; 0: none)   save each run's state every N steps in DIR/<experiment>/checkpoints/; a
                              killed, cancelled or requeued sweep goes on inside its unfinished runs, to the same result
          --repeat-data       train even when the longest run reads its corpus more than 4 times (the paper profile on
                              the shipped corpus: about 2,400 times); without it such a sweep is refused before it starts
        """;

    public static int Run(string[] args)
    {
        // Everything after --slurm is sbatch's.
        int slurmAt = Array.IndexOf(args, "--slurm");
        string[]? sbatchOptions = slurmAt >= 0 ? args[(slurmAt + 1)..] : null;
        var cl = new CommandLine(slurmAt >= 0 ? args[..slurmAt] : args, new HashSet<string> { "--repeat-data", "--fused-kernels" });
        if (cl.Positional.Count != 1) throw new UsageException("sweep needs one experiment name, e.g. `sweep attention-logit-growth` (see `experiments`)");
        Experiment experiment;
        try { experiment = Catalog.Find(cl.Positional[0]); } catch (ArgumentException e) { throw new UsageException(e.Message); }
        var profile = ReadProfile(cl);
        var matmul = TrainVerb.ReadMatmul(cl, MatmulPrecision.Fp32);
        var (data, vocab) = (cl.String("--data"), cl.String("--vocab"));
        bool fusedKernels = cl.Has("--fused-kernels");
        experiment = experiment.WithMatmul(matmul).WithFusedKernels(fusedKernels).WithData(data, vocab);
        string outRoot = cl.String("--out") ?? "runs";
        int workers = cl.Int("--workers", Environment.ProcessorCount);
        if (workers < 1 || workers > 256) throw new UsageException($"--workers {workers}: must be an integer from 1 to 256");
        Shard shard;
        try { shard = Shard.Parse(cl.String("--shard") ?? "0/1"); } catch (ArgumentException e) { throw new UsageException(e.Message); }
        var (device, threads) = TrainVerb.ReadRuntime(cl);
        // Refused before any run, as each run's Trainer would (a CUDA machine behind --device auto is refused there).
        if (fusedKernels && Proxies.Model.Fused.Kernels.CannotRun(device == "cuda" ? TorchSharp.DeviceType.CUDA : TorchSharp.DeviceType.CPU) is { } why)
            throw new UsageException($"--fused-kernels: the fused kernels cannot run: {why}; drop --fused-kernels (libtorch's kernels run)");
        int? tasks = cl.Has("--tasks") ? cl.Int("--tasks", 0) : null;
        if (tasks is not null && sbatchOptions is null) throw new UsageException("--tasks N: only with --slurm (the size of the job array)");
        bool repeatData = cl.Has("--repeat-data");
        int checkpointEvery = TrainVerb.ReadCheckpointEvery(cl);
        cl.RejectUnknown("sweep");
        var plan = Sweep.Plan(experiment, profile, shard);   // validates every config before any work
        PrintBudget(plan, workers, repeatData);
        if (sbatchOptions is not null) return SubmitToSlurm(experiment, profile, matmul, plan.Count, tasks, device, outRoot, shard,
            [.. data is null ? [] : new[] { "--data", File.Exists(data) || Directory.Exists(data) ? Path.GetFullPath(data) : data },
             .. vocab is null ? [] : new[] { "--vocab", vocab }, .. repeatData ? new[] { "--repeat-data" } : [],
             .. fusedKernels ? new[] { "--fused-kernels" } : [],
             .. cl.Has("--checkpoint-every") ? new[] { "--checkpoint-every", checkpointEvery.ToString() } : []], sbatchOptions);

        IRunExecutor executor = workers == 1
            ? new InProcessExecutor(device, threads, checkpointEvery)
            : new WorkerPoolExecutor(Self.FileName, Self.ArgumentsPrefix, workers, threads ?? 1, device, checkpointEvery);
        Console.WriteLine($"sweep {experiment.Name} ({profile.Name()}, shard {shard}): {plan.Count} runs, {workers} worker{(workers > 1 ? "s" : "")} -> {Path.Combine(outRoot, experiment.Name)}");
        ProgressBar? bar = null;
        var progress = new CallbackProgress<SweepProgress>(p =>
        {
            if (p.RunId == "") { Console.WriteLine(p.Message); bar = new ProgressBar("sweep", p.Total); return; }
            bar?.Update(p.Done, p.Fraction, p.Message);
        });
        using var cancel = Interrupts.CancelOnSignal($"interrupted: finished runs are kept. Resume with the same command: {Self.CommandLine(args, "sweep")}");
        var summary = Sweep.Run(experiment, profile, outRoot, executor, shard, workers, progress, cancel.Token);
        Console.WriteLine($"done: {summary.Done} run{(summary.Done == 1 ? "" : "s")} now, {summary.Skipped} already done, {summary.Failures.Count} failed -> {summary.Folder}");
        foreach (var f in summary.Failures) Console.Error.WriteLine($"failed: {f}");
        return summary.Failures.Count == 0 ? 0 : 1;
    }

    /// <summary>What the sweep will read and need, before it starts; refuses to cycle a small corpus (<see cref="DataBudget"/>).</summary>
    static void PrintBudget(IReadOnlyList<TrainConfig> plan, int workers, bool repeatData)
    {
        if (plan.Count == 0) return;
        foreach (var budget in DataBudget.Ensure(plan, repeatData)) Console.WriteLine($"data: {budget}");
        var largest = plan.Select(c => MemoryEstimate.Of(c, Proxies.Data.Vocabularies.KnownSize(c.Vocab))).MaxBy(m => m.Total)!;
        double gflops = TimeEstimate.MeasureGemmGflops();
        Console.WriteLine($"memory: the largest run needs {largest}; " +
            $"time on this machine's CPU: about {TimeEstimate.Duration(TimeEstimate.Seconds(plan, gflops, workers))} with {workers} worker(s) " +
            $"(fp32 GEMM {gflops:F0} GFLOP/s, {TimeEstimate.EfficiencyOfPeak:P0} of it)");
    }

    static int SubmitToSlurm(Experiment experiment, Profile profile, MatmulPrecision matmul, int runs, int? tasks, string device, string outRoot, Shard shard,
        IReadOnlyList<string> sweepOptions, string[] sbatchOptions)
    {
        if (shard != Shard.All) throw new UsageException("--shard with --slurm: the job array makes the shards; leave --shard out");
        int n = tasks ?? runs;
        if (n < 1 || n > runs) throw new UsageException($"--tasks {n}: must be from 1 to the sweep's {runs} runs");
        var job = new SlurmArray.Job(experiment.Name, profile, matmul, device, n, Path.GetFullPath(outRoot),
            Directory.GetCurrentDirectory(), Self.FileName, Self.ArgumentsPrefix, sweepOptions);
        var (arrayId, mergeId) = SlurmArray.Submit(job, sbatchOptions);
        Console.WriteLine($"submitted {experiment.Name} ({profile.Name()}, {runs} runs) as Slurm job array {arrayId} ({n} tasks) and merge job {mergeId} after it");
        Console.WriteLine($"  scripts and logs: {SlurmArray.Folder(job)}; results: {Path.Combine(job.OutRoot, experiment.Name)}; watch: squeue -j {arrayId},{mergeId}");
        return 0;
    }

    public static Profile ReadProfile(CommandLine cl) =>
        cl.Choice("--profile", Profile.Quick, Enum.GetValues<Profile>().Select(p => (p.Name(), p)).ToArray());
}
