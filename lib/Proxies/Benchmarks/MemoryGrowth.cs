using System.Diagnostics;
using Proxies.Training;
using static TorchSharp.torch;

namespace Proxies.Benchmarks;

/// <summary>Resident memory over a long run: after warm-up (step 100) and at the end. Growth over 5% would mean a
/// leak (a tensor outside a dispose scope grows the process by megabytes a step).</summary>
public sealed record MemoryGrowth(int Steps, double RssAfterWarmupMb, double RssAtEndMb, double PeakRssMb)
{
    public double Growth => RssAtEndMb / RssAfterWarmupMb - 1;

    public static MemoryGrowth Measure(TrainConfig config, Device device)
    {
        double warm = double.NaN, end = double.NaN;
        int warmStep = Math.Min(100, config.Steps / 10);
        var c = config with { ProbeEvery = warmStep };
        var progress = new CallbackProgress<TrainProgress>(p =>
        {
            if (p.Step == warmStep) warm = RssMb();
            if (p.Step == c.Steps - 1) end = RssMb();
        });
        Trainer.Run(c, device, progress);
        using var self = Process.GetCurrentProcess();
        return new MemoryGrowth(c.Steps, warm, end, self.PeakWorkingSet64 / 1048576.0);
    }

    static double RssMb()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64 / 1048576.0;
    }

}
