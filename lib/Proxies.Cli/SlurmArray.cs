using System.Diagnostics;
using System.Text;
using Proxies.Experiments;
using Proxies.Model;
using Proxies.Sweeps;

namespace Proxies.Cli;

/// <summary>
/// `sweep NAME --slurm [sbatch options]`: the sweep as one Slurm job array and a merge job after it. Task i of n runs
/// shard i/n of the grid (<see cref="Shard"/>) into its own folder, resumably, so a task that is preempted, requeued or
/// cancelled and submitted again redoes only the run it was in; the merge job (after every task, ended as it may)
/// pools the task folders into OUT/NAME, keyed by run id, so nothing is counted twice.
/// </summary>
public static class SlurmArray
{
    /// <summary>What the scripts run: the experiment with the sweep's settings (every one passed on to each task), where
    /// results go, and how this CLI is started.</summary>
    public sealed record Job(string Experiment, SweepSettings Settings, int Tasks, string OutRoot,
        string WorkDir, string Program, IReadOnlyList<string> ProgramArguments);

    /// <summary>The folder of the scripts, the task folders and the logs: OUT/slurm/NAME.</summary>
    public static string Folder(Job job) => Path.Combine(job.OutRoot, "slurm", job.Experiment);

    /// <summary>Task i's results folder.</summary>
    public static string TaskFolder(Job job, string index) => Path.Combine(Folder(job), $"task-{index}");

    /// <summary>The array script: one task per shard, requeued on preemption, logs appended across requeues.</summary>
    public static string ArrayScript(Job job)
    {
        var s = Header(job, $"proxies-{job.Experiment}", Path.Combine(Folder(job), "task-%a.log"));
        s.AppendLine($"#SBATCH --array=0-{job.Tasks - 1}");
        s.AppendLine("#SBATCH --requeue");
        s.AppendLine("set -euo pipefail");
        s.AppendLine("# Shard i/n of the grid into this task's folder; a requeued or resubmitted task skips the runs it finished.");
        s.AppendLine($"exec {Command(job)} sweep {job.Experiment}{string.Concat(job.Settings.Arguments().Select(o => " " + Quote(o)))} \\");
        s.AppendLine("    --shard \"$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT\" --workers 1 --threads \"${SLURM_CPUS_PER_TASK:-1}\" \\");
        s.AppendLine($"    --out {Quote(Path.Combine(Folder(job), "task-"))}\"$SLURM_ARRAY_TASK_ID\"");
        return s.ToString();
    }

    /// <summary>The merge script: every task folder there is (task-*/, not the task-*.log beside them) into OUT; a rerun
    /// merges again, idempotently.</summary>
    public static string MergeScript(Job job)
    {
        var s = Header(job, $"proxies-{job.Experiment}-merge", Path.Combine(Folder(job), "merge.log"));
        s.AppendLine("set -euo pipefail");
        s.AppendLine($"exec {Command(job)} merge {Quote(job.OutRoot)} {Quote(Folder(job))}/task-*/");
        return s.ToString();
    }

    static StringBuilder Header(Job job, string name, string log)
    {
        var s = new StringBuilder();
        s.AppendLine("#!/bin/bash");
        s.AppendLine($"# Written by `sweep {job.Experiment} --slurm`; submit it again with sbatch, or rerun that command.");
        s.AppendLine($"#SBATCH --job-name={name}");
        s.AppendLine($"#SBATCH --chdir={job.WorkDir}");
        s.AppendLine($"#SBATCH --output={log}");
        s.AppendLine("#SBATCH --open-mode=append");
        return s;   // sbatch reads #SBATCH lines only up to the first command
    }

    static string Command(Job job) => string.Join(' ', new[] { job.Program }.Concat(job.ProgramArguments).Select(Quote));

    /// <summary>Single-quoted for bash (a path with spaces or quotes stays one word).</summary>
    static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";

    /// <summary>Writes both scripts and submits them: the array, then the merge job with afterany on it. Returns the two
    /// job ids.</summary>
    public static (string ArrayId, string MergeId) Submit(Job job, IReadOnlyList<string> sbatchOptions)
    {
        Directory.CreateDirectory(Folder(job));
        string array = Path.Combine(Folder(job), "array.sbatch"), merge = Path.Combine(Folder(job), "merge.sbatch");
        Runtime.AtomicFile.WriteAllText(array, ArrayScript(job));
        Runtime.AtomicFile.WriteAllText(merge, MergeScript(job));
        string arrayId = Sbatch(sbatchOptions, array);
        string mergeId = Sbatch([.. sbatchOptions, $"--dependency=afterany:{arrayId}"], merge);
        return (arrayId, mergeId);
    }

    static string Sbatch(IReadOnlyList<string> options, string script)
    {
        var info = new ProcessStartInfo("sbatch") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--parsable");
        foreach (var o in options) info.ArgumentList.Add(o);
        info.ArgumentList.Add(script);
        Process p;
        try { p = Process.Start(info)!; }
        catch (System.ComponentModel.Win32Exception) { throw new UsageException("--slurm: sbatch was not found; run this on a Slurm login node (or use --shard i/n and merge, environment.md)"); }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            string stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new IOException($"sbatch {script} failed (exit {p.ExitCode}): {stderr.Trim()}");
            return stdout.Result.Trim().Split(';')[0];   // --parsable prints "id" or "id;cluster"
        }
    }
}
