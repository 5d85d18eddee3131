using Proxies.Experiments;
using Proxies.Model;
using Proxies.Runtime;
using Proxies.Sweeps;
using Proxies.Training;

namespace Proxies.Cli;

/// <summary>`sweep &lt;experiment&gt;`: a named grid of runs into DIR/&lt;experiment&gt;/, resumable, in parallel workers.</summary>
public static class SweepVerb
{
    public static string Help => $"""
        sweep <experiment>: run a named grid of training runs (see `experiments`), resumably.
          --out DIR (runs)   --workers N (cores, one thread each)   --shard i/n (0/1: all)   --threads N (per worker)
        {SweepSettings.Help()}
        Writes DIR/<experiment>/runs.csv, curves/<run_id>.csv and manifest.json. Running it again skips finished
        runs; a sweep killed at any moment resumes with no duplicate, missing or torn rows. --matmul bf16 gives every
        run new ids: a folder holds one kind of numerics, so use another --out.
          --slurm [sbatch options...]   submit it as a Slurm job array instead: every argument after --slurm goes to
                              sbatch (e.g. --slurm --partition=gpu --time=4:00:00 --cpus-per-task=4). Task i of n runs
                              shard i/n into DIR/slurm/<experiment>/task-i with this sweep's settings, requeued on
                              preemption; a merge job after the array pools them into DIR/<experiment>. Rerun the same
                              command to finish what a cancelled task left.
          --tasks N (one per run)        the array's size, with --slurm
        """;

    public static int Run(string[] args)
    {
        // Everything after --slurm is sbatch's.
        int slurmAt = Array.IndexOf(args, "--slurm");
        string[]? sbatchOptions = slurmAt >= 0 ? args[(slurmAt + 1)..] : null;
        var cl = new CommandLine(slurmAt >= 0 ? args[..slurmAt] : args, Switches);
        if (cl.Positional.Count != 1) throw new UsageException("sweep needs one experiment name, e.g. `sweep attention-logit-growth` (see `experiments`)");
        Experiment experiment;
        try { experiment = Catalog.Find(cl.Positional[0]); } catch (ArgumentException e) { throw new UsageException(e.Message); }
        var settings = ReadSettings(cl);
        var profile = settings.Profile;
        experiment = settings.Apply(experiment);
        string outRoot = cl.String("--out") ?? "runs";
        int workers = ReadWorkers(cl, Environment.ProcessorCount);
        Shard shard;
        try { shard = Shard.Parse(cl.String("--shard") ?? "0/1"); } catch (ArgumentException e) { throw new UsageException(e.Message); }
        int? threads = TrainVerb.ReadThreads(cl);
        string device = settings.Device;
        int? tasks = cl.Has("--tasks") ? cl.Int("--tasks", 0) : null;
        if (tasks is not null && sbatchOptions is null) throw new UsageException("--tasks N: only with --slurm (the size of the job array)");
        cl.RejectUnknown("sweep");
        var plan = Sweep.Plan(experiment, profile, shard);   // validates every config before any work
        PrintBudget(plan, workers, ThreadsPerWorker(workers, threads), settings.RepeatData);
        if (sbatchOptions is not null) return SubmitToSlurm(experiment, settings, plan.Count, tasks, outRoot, shard, sbatchOptions);

        // The workers inherit PROXIES_GEMM and PROXIES_KERNELS; --device auto is resolved as they will resolve it, so a
        // GPU sweep says nothing of CPU kernels.
        if (device != "cuda" && Proxies.Runtime.TorchRuntime.ResolveDevice(device).type == TorchSharp.DeviceType.CPU)
            Console.WriteLine(Proxies.Model.CpuNumerics.Describe());
        var executor = Executor(workers, device, threads, settings.CheckpointEvery);
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
    /// <summary>--workers N (1 to 256), or <paramref name="fallback"/>.</summary>
    internal static int ReadWorkers(CommandLine cl, int fallback)
    {
        int workers = cl.Int("--workers", fallback);
        if (workers < 1 || workers > 256) throw new UsageException($"--workers {workers}: must be an integer from 1 to 256");
        return workers;
    }

    /// <summary>One worker trains in this process with <paramref name="threads"/>; more run as worker processes of this
    /// program, one thread each unless told otherwise.</summary>
    internal static IRunExecutor Executor(int workers, string device, int? threads, int checkpointEvery) => workers == 1
        ? new InProcessExecutor(device, threads, checkpointEvery)
        : new WorkerPoolExecutor(Self.FileName, Self.ArgumentsPrefix, workers, ThreadsPerWorker(workers, threads), device, checkpointEvery);

    /// <summary>The intra-op threads each of <paramref name="workers"/> trains with (<see cref="Executor"/>'s rule):
    /// <paramref name="threads"/> when given, else libtorch's default for one worker in this process and one thread for
    /// each of several.</summary>
    internal static int ThreadsPerWorker(int workers, int? threads)
    {
        if (threads is int n) return n;
        if (workers > 1) return 1;
        Proxies.Runtime.TorchRuntime.Start();
        return TorchSharp.torch.get_num_threads();
    }

    static void PrintBudget(IReadOnlyList<TrainConfig> plan, int workers, int threadsPerWorker, bool repeatData)
    {
        if (plan.Count == 0) return;
        foreach (var budget in DataBudget.Ensure(plan, repeatData)) Console.WriteLine($"data: {budget}");
        var largest = plan.Select(c => MemoryEstimate.Of(c, Proxies.Data.Vocabularies.KnownSize(c.Vocab))).MaxBy(m => m.Total)!;
        double gflops = TimeEstimate.MeasureWorkerGflops(threadsPerWorker);
        Console.WriteLine($"memory: the largest run needs {largest}; " +
            $"time on this machine's CPU: about {TimeEstimate.Duration(TimeEstimate.Seconds(plan, gflops, workers))} with {workers} worker(s) " +
            $"(fp32 GEMM {gflops:F0} GFLOP/s on a worker's {threadsPerWorker} thread(s), {TimeEstimate.EfficiencyOfPeak:P0} of it)");
    }

    static int SubmitToSlurm(Experiment experiment, SweepSettings settings, int runs, int? tasks, string outRoot, Shard shard, string[] sbatchOptions)
    {
        var profile = settings.Profile;
        settings = settings.WithAbsoluteData();
        if (shard != Shard.All) throw new UsageException("--shard with --slurm: the job array makes the shards; leave --shard out");
        int n = tasks ?? runs;
        if (n < 1 || n > runs) throw new UsageException($"--tasks {n}: must be from 1 to the sweep's {runs} runs");
        var job = new SlurmArray.Job(experiment.Name, settings, n, Path.GetFullPath(outRoot),
            Directory.GetCurrentDirectory(), Self.FileName, Self.ArgumentsPrefix);
        var (arrayId, mergeId) = SlurmArray.Submit(job, sbatchOptions);
        Console.WriteLine($"submitted {experiment.Name} ({profile.Name()}, {runs} runs) as Slurm job array {arrayId} ({n} tasks) and merge job {mergeId} after it");
        Console.WriteLine($"  scripts and logs: {SlurmArray.Folder(job)}; results: {Path.Combine(job.OutRoot, experiment.Name)}; watch: squeue -j {arrayId},{mergeId}");
        return 0;
    }

    /// <summary>The switches (flags without a value) of the verbs that take sweep settings.</summary>
    public static IReadOnlySet<string> Switches { get; } = SweepSettings.All.Where(s => s.IsSwitch).Select(s => s.Flag).ToHashSet();

    /// <summary>The sweep settings given on a command line (<see cref="SweepSettings.All"/>); with <paramref name="only"/>,
    /// just those, for a verb that takes no others (the rest stay unknown flags there).</summary>
    public static SweepSettings ReadSettings(CommandLine cl, params string[] only)
    {
        try
        {
            return SweepSettings.Read(s => only.Length > 0 && !only.Contains(s.Name) ? null
                : s.IsSwitch ? (cl.Has(s.Flag) ? "true" : null) : cl.String(s.Flag));
        }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }
}
