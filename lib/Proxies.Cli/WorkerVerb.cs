using System.Text.Json;
using Proxies.Experiments;
using Proxies.Results;
using Proxies.Runtime;
using Proxies.Sweeps;
using Proxies.Training;

namespace Proxies.Cli;

/// <summary>Hidden verb `worker`: the process side of <see cref="WorkerPoolExecutor"/>. Reads configs as JSON lines
/// on stdin until end of input; trains each, records it, answers one line on stdout.</summary>
public static class WorkerVerb
{
    public static int Run(string[] args)
    {
        var cl = new CommandLine(args, new HashSet<string>());
        string root = cl.String("--out") ?? throw new UsageException("worker needs --out");
        var (deviceName, threads) = TrainVerb.ReadRuntime(cl);
        int checkpointEvery = TrainVerb.ReadCheckpointEvery(cl);
        cl.RejectUnknown("worker");
        TorchRuntime.Start(threads);
        var device = TorchRuntime.ResolveDevice(deviceName);
        var stdout = Console.Out;
        Console.SetOut(TextWriter.Null);   // the protocol owns stdout
        for (string? line; (line = Console.In.ReadLine()) is not null;)
        {
            var config = JsonSerializer.Deserialize<TrainConfig>(line, TrainConfig.JsonOptions)!;
            try
            {
                var result = RecordedRun.Train(config, root, device, checkpointEvery);
                stdout.WriteLine($"done {result.RunId} {InProcessExecutor.RunLine(result)}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ResultsFileException or InvalidConfigException)
            {
                stdout.WriteLine($"failed {config.RunId} {e.Message.ReplaceLineEndings(" ")}");
            }
            stdout.Flush();
        }
        return 0;
    }
}
