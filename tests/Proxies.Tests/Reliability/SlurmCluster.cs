using System.Diagnostics;

namespace Proxies.Tests.Reliability;

/// <summary>
/// A private single-node Slurm cluster for the tests: munged on its own socket, slurmctld and slurmd on localhost on
/// ports of their own, state and logs in a temporary folder, jobs run as root (Debian's slurm-wlm 22.05 and munge, as
/// `.ci/run` installs them). Client commands find it through SLURM_CONF, which <see cref="Environment"/> holds.
/// </summary>
public sealed class SlurmCluster : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("proxies-slurm-").FullName;
    public string Conf => Path.Combine(Folder, "slurm.conf");
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["SLURM_CONF"] = Conf };

    /// <summary>Why no cluster can be started here, or null.</summary>
    public static string? Missing()
    {
        var path = (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Concat(["/usr/sbin", "/sbin"]);
        var absent = new[] { "munged", "slurmctld", "slurmd", "sbatch", "squeue", "scontrol" }.Where(t => !path.Any(d => File.Exists(Path.Combine(d, t)))).ToList();
        if (absent.Count > 0) return $"a real Slurm needs {string.Join(", ", absent)} (Debian: apt-get install slurm-wlm munge)";
        if (!File.Exists("/etc/munge/munge.key")) return "munge has no key (/etc/munge/munge.key; installing the Debian package makes one)";
        return System.Environment.UserName == "root" ? null : "a private Slurm cluster runs its daemons as root";
    }

    public SlurmCluster()
    {
        string socket = Path.Combine(Folder, "munge.socket");
        Directory.CreateDirectory(Path.Combine(Folder, "state"));
        Directory.CreateDirectory(Path.Combine(Folder, "spool"));
        Exec("munged", "--force", $"--socket={socket}", $"--pid-file={Folder}/munged.pid", $"--log-file={Folder}/munged.log", $"--seed-file={Folder}/munged.seed");
        File.WriteAllText(Conf, $"""
            ClusterName=proxies-test
            SlurmctldHost=localhost(127.0.0.1)
            SlurmctldPort=16817
            SlurmdPort=16818
            SlurmUser=root
            SlurmdUser=root
            AuthType=auth/munge
            AuthInfo=socket={socket}
            StateSaveLocation={Folder}/state
            SlurmdSpoolDir={Folder}/spool
            SlurmctldPidFile={Folder}/slurmctld.pid
            SlurmdPidFile={Folder}/slurmd.pid
            SlurmctldLogFile={Folder}/slurmctld.log
            SlurmdLogFile={Folder}/slurmd.log
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SchedulerType=sched/backfill
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            ReturnToService=2
            MpiDefault=none
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            KillWait=5
            NodeName=localhost NodeAddr=127.0.0.1 CPUs={System.Environment.ProcessorCount} RealMemory=1000 State=UNKNOWN
            PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
            """);
        Exec("slurmctld", "-f", Conf);
        Exec("slurmd", "-f", Conf, "-N", "localhost");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Run("sinfo", "-h", "-o", "%T").Stdout.Contains("idle"))
        {
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"the test Slurm cluster did not come up in 60 s; see {Folder}/slurmctld.log and slurmd.log");
            Thread.Sleep(500);
        }
    }

    /// <summary>Runs a Slurm client command against this cluster.</summary>
    public (int Code, string Stdout, string Stderr) Run(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["SLURM_CONF"] = Conf;
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }

    /// <summary>Waits until none of <paramref name="jobIds"/> is queued or running.</summary>
    public void WaitForJobs(TimeSpan limit, params string[] jobIds)
    {
        var deadline = DateTime.UtcNow + limit;
        // A failed squeue (slurmctld busy on a loaded machine) prints nothing, which is not "no job left": ask again.
        bool Queued() => Run("squeue", "-h", "-j", string.Join(',', jobIds), "-o", "%i %T") is var q && (q.Code != 0 || q.Stdout.Trim().Length > 0);
        while (Queued())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"jobs {string.Join(',', jobIds)} still queued after {limit.TotalMinutes} min: {Run("squeue").Stdout}");
            Thread.Sleep(500);
        }
    }

    static void Exec(string daemon, params string[] args)
    {
        var info = new ProcessStartInfo(daemon) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();   // each daemon forks into the background and its starter exits
        if (p.ExitCode != 0) throw new InvalidOperationException($"{daemon} {string.Join(' ', args)} failed ({p.ExitCode}): {stderr}");
    }

    public void Dispose()
    {
        Run("scontrol", "shutdown");
        foreach (var pidFile in new[] { "slurmd.pid", "slurmctld.pid", "munged.pid" })
        {
            var path = Path.Combine(Folder, pidFile);
            if (File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), out int pid))
                try { using var p = Process.GetProcessById(pid); p.Kill(); } catch (Exception e) when (e is ArgumentException or InvalidOperationException) { }
        }
    }
}
