using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Proxies.Runtime;
using Proxies.Sweeps;
using Proxies.Training;

namespace Proxies.Sweeps;

/// <summary>
/// Runs side by side in worker processes (small models train fastest as single-thread processes side by side).
/// Each worker is the CLI's hidden `worker` verb: it reads one config as a JSON line on stdin, trains it, records
/// it in the results store itself, and answers "done &lt;run_id&gt; &lt;summary&gt;" on stdout. A worker that dies
/// costs only its current run, which it runs once more in a fresh worker; if this process dies, workers see end of input
/// and exit.
/// </summary>
public sealed class WorkerPoolExecutor(string fileName, IReadOnlyList<string> argumentsPrefix, int workers, int threadsPerWorker, string device,
    int checkpointEvery = RunCheckpoint.DefaultEvery)
    : IRunExecutor
{
    public IReadOnlyList<string> Execute(IReadOnlyList<TrainConfig> runs, string resultsRoot, Action<string, string> finished, CancellationToken cancel)
    {
        var queue = new ConcurrentQueue<TrainConfig>(runs);
        var failures = new ConcurrentBag<string>();
        var died = new ConcurrentDictionary<string, string>();   // runs whose worker died once, with how
        var live = new ConcurrentDictionary<int, Process>();
        using var registration = cancel.Register(() => { foreach (var p in live.Values) TryKill(p); });
        var loops = Enumerable.Range(0, Math.Min(workers, runs.Count)).Select(w => Task.Run(() =>
        {
            Process? process = null;
            try
            {
                while (!cancel.IsCancellationRequested && queue.TryDequeue(out var config))
                {
                    if (process is null || process.HasExited)
                    {
                        process = Start(resultsRoot);
                        live[w] = process;
                    }
                    process.StandardInput.WriteLine(JsonSerializer.Serialize(config, TrainConfig.JsonOptions));
                    process.StandardInput.Flush();
                    var answer = process.StandardOutput.ReadLine();
                    if (cancel.IsCancellationRequested) break;
                    if (answer is not null && answer.StartsWith("done ")) { finished(config.RunId, answer[(6 + config.RunId.Length)..]); continue; }
                    var reason = answer ?? $"worker exited with code {(process.WaitForExit(5000) ? process.ExitCode : -1)}";
                    if (answer is null && died.TryAdd(config.RunId, reason))
                    {
                        // A worker that dies without an answer (killed for memory, a native abort) gets its run once more,
                        // in a fresh worker that goes on from the run's last checkpoint; an answer is a refusal, kept.
                        Console.Error.WriteLine($"{config.RunId}: {reason}; running it once more");
                        TryKill(process);                  // one that outlived the wait must not write beside its successor
                        queue.Enqueue(config);
                        process = null;
                        continue;
                    }
                    if (answer is null) reason = $"{died[config.RunId]}, and again ({reason}) when run once more";
                    failures.Add($"{config.RunId}: {reason}");
                    finished(config.RunId, "FAILED: " + reason);
                    TryKill(process);
                    process = null;
                }
            }
            finally
            {
                if (process is not null && !process.HasExited)
                {
                    process.StandardInput.Close();   // end of input: the worker exits
                    if (!process.WaitForExit(10_000)) TryKill(process);
                }
            }
        }, CancellationToken.None)).ToArray();
        Task.WaitAll(loops);
        cancel.ThrowIfCancellationRequested();
        return failures.ToList();
    }

    Process Start(string resultsRoot)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in argumentsPrefix) info.ArgumentList.Add(a);
        foreach (var a in new[] { "worker", "--out", resultsRoot, "--threads", threadsPerWorker.ToString(), "--device", device, "--checkpoint-every", checkpointEvery.ToString() })
            info.ArgumentList.Add(a);
        foreach (var (key, value) in TorchRuntime.ChildEnvironment) info.Environment[key] = value;
        return Process.Start(info) ?? throw new InvalidOperationException($"could not start worker {fileName}");
    }

    static void TryKill(Process p)
    {
        try { if (!p.HasExited) p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }
}
