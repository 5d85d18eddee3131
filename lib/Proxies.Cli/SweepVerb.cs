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
        Writes DIR/<experiment>/runs.csv, curves/<run_id>.csv and manifest.json. Running it again skips finished
        runs; a sweep killed at any moment resumes with no duplicate, missing or torn rows.
        """;

    public static int Run(string[] args)
    {
        var cl = new CommandLine(args, new HashSet<string>());
        if (cl.Positional.Count != 1) throw new UsageException("sweep needs one experiment name, e.g. `sweep attention-logit-growth` (see `experiments`)");
        Experiment experiment;
        try { experiment = Catalog.Find(cl.Positional[0]); } catch (ArgumentException e) { throw new UsageException(e.Message); }
        var profile = ReadProfile(cl);
        experiment = experiment.WithMatmul(TrainVerb.ReadMatmul(cl, MatmulPrecision.Fp32));
        string outRoot = cl.String("--out") ?? "runs";
        int workers = cl.Int("--workers", Environment.ProcessorCount);
        if (workers < 1 || workers > 256) throw new UsageException($"--workers {workers}: must be an integer from 1 to 256");
        Shard shard;
        try { shard = Shard.Parse(cl.String("--shard") ?? "0/1"); } catch (ArgumentException e) { throw new UsageException(e.Message); }
        var (device, threads) = TrainVerb.ReadRuntime(cl);
        cl.RejectUnknown("sweep");
        var plan = Sweep.Plan(experiment, profile, shard);   // validates every config before any work

        IRunExecutor executor = workers == 1
            ? new InProcessExecutor(device, threads)
            : new WorkerPoolExecutor(Self.FileName, Self.ArgumentsPrefix, workers, threads ?? 1, device);
        Console.WriteLine($"sweep {experiment.Name} ({profile.Name()}, shard {shard}): {plan.Count} runs, {workers} worker{(workers > 1 ? "s" : "")} -> {Path.Combine(outRoot, experiment.Name)}");
        ProgressBar? bar = null;
        var progress = new CallbackProgress<SweepProgress>(p =>
        {
            if (p.RunId == "") { Console.WriteLine(p.Message); bar = new ProgressBar("sweep", p.Total); return; }
            bar?.Update(p.Done, p.Message);
        });
        using var cancel = Interrupts.CancelOnSignal($"interrupted: finished runs are kept. Resume with the same command: {Self.CommandLine(args, "sweep")}");
        var summary = Sweep.Run(experiment, profile, outRoot, executor, shard, workers, progress, cancel.Token);
        Console.WriteLine($"done: {summary.Done} run{(summary.Done == 1 ? "" : "s")} now, {summary.Skipped} already done, {summary.Failures.Count} failed -> {summary.Folder}");
        foreach (var f in summary.Failures) Console.Error.WriteLine($"failed: {f}");
        return summary.Failures.Count == 0 ? 0 : 1;
    }

    public static Profile ReadProfile(CommandLine cl) =>
        cl.Choice("--profile", Profile.Quick, Enum.GetValues<Profile>().Select(p => (p.Name(), p)).ToArray());
}
