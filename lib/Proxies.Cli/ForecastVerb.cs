using System.Globalization;
using Proxies.Experiments;
using Proxies.Forecasting;
using Proxies.Sweeps;
using Proxies.Training;

namespace Proxies.Cli;

/// <summary>`forecast`: "will my planned run be unstable?" from a small ladder, with the error the protocol made on
/// held-out sizes (<see cref="ForecastStudy"/>).</summary>
public static class ForecastVerb
{
    public static string Help => $"""
        forecast: describe the run you plan; the ladder of small models with its head dim and recipe is trained where it is
        missing (committed runs are reused by id), fitted, and checked on held-out larger sizes. Prints, per LR, the planned
        size's early max attention logit, loss penalty against the best LR and head-μ drift with 95% intervals; the largest
        LR whose penalty stays under the tolerance; where each layer's gradient RMS meets ε; and the backtest and held-out
        errors behind every number.
          the planned run: any `train` switch (train --help), e.g. --width 512 --depth 8 --heads 16 --qk-layernorm off
          --lrs A,B,...        the LR grid (the profile's: the paper's 7 LRs)
          --tolerance NATS     the loss penalty an LR may cost and still be called safe ({ForecastStudy.DefaultTolerance})
          --profile smoke|quick|paper (quick)   --results DIR (results/PROFILE)   --skip-held-out (train no held-out size)
          --workers N (1: one process with --threads; more: worker processes of --threads each, 1 by default)
          --threads N   --device cpu|cuda|auto (auto)
        Writes forecast.csv, protocol.csv, logit-window.csv, held-out.csv and eps-crossover.csv in DIR/forecast/reports/<size>.
        """;

    public static int Run(string[] args)
    {
        var cl = new CommandLine(args, SweepVerb.Switches.Append("--skip-held-out").ToHashSet());
        var planned = TrainVerb.ReadConfig(cl, new TrainConfig());
        var settings = SweepVerb.ReadSettings(cl, "profile", "device");
        var profile = settings.Profile;
        var ladder = ForecastLadder.For(profile);
        var lrs = cl.String("--lrs") is { } words ? ParseLrs(words) : ladder.Budget.LearningRates;
        double tolerance = cl.Double("--tolerance", ForecastStudy.DefaultTolerance);
        if (!(tolerance > 0)) throw new UsageException($"--tolerance {tolerance}: must be a positive number of nats, e.g. 0.1");
        string root = cl.String("--results") ?? Path.Combine("results", profile.Name());
        bool heldOut = !cl.Has("--skip-held-out");
        int? threads = TrainVerb.ReadThreads(cl);
        int workers = SweepVerb.ReadWorkers(cl, 1);
        cl.RejectUnknown("forecast");
        if (cl.Positional.Count > 0) throw new UsageException($"forecast takes no positional arguments, got '{cl.Positional[0]}'");
        if (cl.Has("--lr")) throw new UsageException("forecast takes an LR grid: give --lrs A,B,... instead of --lr");
        if (ForecastStudy.Refusal(ladder, planned, lrs) is { } why) throw new UsageException($"cannot forecast this run: {why}");

        var size = ModelSize.Of(planned.Model);
        Console.WriteLine($"forecast for {size} ({size.NonEmbeddingParams:N0} non-embedding parameters, head dim {planned.Model.HeadDim}) from the {profile.Name()} ladder: " +
            $"fit {string.Join(", ", ladder.Fit)}; held out {(heldOut ? string.Join(", ", ladder.HeldOut) : "none (--skip-held-out)")}; " +
            $"every rung at seq {ladder.Budget.SeqLen}, batch {ladder.Budget.BatchSize}, {ladder.Budget.Steps} steps, {ladder.Budget.Seeds.Count} seeds");
        ProgressBar? bar = null;
        var progress = new CallbackProgress<SweepProgress>(p =>
        {
            if (p.RunId == "") { Console.WriteLine(p.Message); bar = new ProgressBar("ladder", p.Total); return; }
            bar?.Update(p.Done, p.Fraction, p.Message);
        });
        using var cancel = Interrupts.CancelOnSignal($"interrupted: finished ladder runs are kept. Resume with the same command: {Self.CommandLine(args, "forecast")}");
        var study = ForecastStudy.Run(planned, lrs, profile, root, tolerance, heldOut, SweepVerb.Executor(workers, settings.Device, threads, settings.CheckpointEvery),
            progress, cancel.Token, workers);
        var report = study.Report;
        Console.WriteLine();
        foreach (var table in new[] { ForecastTables.Forecast(report), ForecastTables.Protocol(report), ForecastTables.Windows(report), ForecastTables.Crossovers(report) })
            Console.WriteLine(table + "\n");
        if (heldOut) Console.WriteLine(ForecastTables.HeldOut(report, report.Protocols[0].Metric.Name) + "\n");
        Console.WriteLine($"largest LR with a predicted penalty ≤ {tolerance:G3} nats: {Word(report.SafeLr)}; with the whole interval under it: {Word(report.SafeLrConservative)}");
        foreach (var path in ForecastTables.Write(study.ReportFolder, report)) Console.WriteLine($"wrote {path}");
        return 0;
    }

    static string Word(double lr) => double.IsNaN(lr) ? "none of the grid" : lr.ToString("G3", CultureInfo.InvariantCulture);

    static IReadOnlyList<double> ParseLrs(string words)
    {
        var lrs = new List<double>();
        foreach (var w in words.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(w, NumberStyles.Float, CultureInfo.InvariantCulture, out var lr) || !(lr > 0) || double.IsInfinity(lr))
                throw new UsageException($"--lrs {words}: '{w}' is not a positive learning rate; give e.g. --lrs 1e-3,1e-2,1e-1");
            lrs.Add(lr);
        }
        return lrs;
    }
}
