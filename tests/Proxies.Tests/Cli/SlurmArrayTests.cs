using System.Diagnostics;
using Proxies.Cli;
using Proxies.Experiments;
using Proxies.Model;
using Proxies.Sweeps;

namespace Proxies.Tests.Cli;

public class SlurmArrayTests
{
    static readonly SlurmArray.Job Job = new("lr-sensitivity",
        new SweepSettings { Profile = Profile.Paper, Matmul = MatmulPrecision.Bf16, Device = "cuda", Data = "/data/c4/en/c4-*.json.gz", Vocab = "/models/t5/spiece.model", RepeatData = true },
        4, "/data/my runs", "/home/me/proxies", "/usr/bin/dotnet", ["/home/me/proxies/lib/Proxies.Cli/bin/Release/net10.0/Proxies.Cli.dll"]);

    [Fact]
    public void TheArrayRunsShardIOfNIntoItsOwnFolderAndIsRequeuedOnPreemption()
    {
        var script = SlurmArray.ArrayScript(Job);
        Assert.Contains("#SBATCH --array=0-3\n", script);
        Assert.Contains("#SBATCH --requeue\n", script);
        // Every directive before the first command: sbatch stops reading them there.
        Assert.True(script.LastIndexOf("#SBATCH") < script.IndexOf("set -euo pipefail"), script);
        Assert.Contains("#SBATCH --open-mode=append\n", script);
        Assert.Contains("#SBATCH --chdir=/home/me/proxies\n", script);
        Assert.Contains("#SBATCH --output=/data/my runs/slurm/lr-sensitivity/task-%a.log\n", script);
        // Every sweep setting reaches the task, the defaults too (a task must not pick up another default).
        Assert.Contains("exec '/usr/bin/dotnet' '/home/me/proxies/lib/Proxies.Cli/bin/Release/net10.0/Proxies.Cli.dll' sweep lr-sensitivity '--profile' 'paper' '--matmul' 'bf16' " +
            "'--data' '/data/c4/en/c4-*.json.gz' '--vocab' '/models/t5/spiece.model' '--repeat-data' '--device' 'cuda' '--checkpoint-every' '500' \\", script);
        Assert.Contains("--shard \"$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT\" --workers 1", script);
        Assert.Contains("--out '/data/my runs/slurm/lr-sensitivity/task-'\"$SLURM_ARRAY_TASK_ID\"", script);
        AssertBashParses(script);
    }

    [Fact]
    public void TheMergeJobPoolsEveryTaskFolderIntoTheResultsRoot()
    {
        var script = SlurmArray.MergeScript(Job);
        Assert.Contains("merge '/data/my runs' '/data/my runs/slurm/lr-sensitivity'/task-*/\n", script);
        Assert.Contains("#SBATCH --output=/data/my runs/slurm/lr-sensitivity/merge.log\n", script);
        AssertBashParses(script);
    }

    /// <summary>bash -n: the script is valid bash (quoting included), without running it.</summary>
    static void AssertBashParses(string script)
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, script);
        using var p = Process.Start(new ProcessStartInfo("bash", ["-n", file]) { RedirectStandardError = true })!;
        string errors = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, errors);
    }
}
