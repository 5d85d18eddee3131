using System.Diagnostics;
using Proxies.Experiments;
using Proxies.Model;
using Proxies.Runtime;
using static TorchSharp.torch;

namespace Proxies.Cli;

/// <summary>`experiments`: every named experiment with its run count and a rough time estimate per profile.</summary>
public static class ExperimentsVerb
{
    public static int Run(string[] args)
    {
        var cl = new CommandLine(args, new HashSet<string>());
        int workers = cl.Int("--workers", Environment.ProcessorCount);
        if (workers < 1) throw new UsageException($"--workers {workers}: must be at least 1");
        cl.RejectUnknown("experiments");
        int threads = SweepVerb.ThreadsPerWorker(workers, null);
        double gflops = TimeEstimate.MeasureWorkerGflops(threads);
        Console.WriteLine($"this machine: {Environment.ProcessorCount} cores, fp32 GEMM ≈ {gflops:F0} GFLOP/s on {threads} thread(s); estimates assume {TimeEstimate.EfficiencyOfPeak:P0} of it on each of {workers} worker(s)");
        Console.WriteLine($"{"experiment",-26} {"smoke",-16} {"quick",-16} {"paper",-18} description");
        foreach (var e in Catalog.All)
        {
            var cells = Enum.GetValues<Profile>().Select(p =>
            {
                var runs = e.Runs(p);
                return $"{runs.Count} runs ~{TimeEstimate.Duration(TimeEstimate.Seconds(runs, gflops, workers))}";
            }).ToArray();
            Console.WriteLine($"{e.Name,-26} {cells[0],-16} {cells[1],-16} {cells[2],-18} {e.Description}");
        }
        return 0;
    }

}
