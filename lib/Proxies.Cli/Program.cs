using Proxies.Data;
using Proxies.Results;
using Proxies.Runtime;
using Proxies.Training;

namespace Proxies.Cli;

/// <summary>Entry point: one verb per file, each thin over the library. Exit codes: 0 done, 1 failed, 2 bad input.</summary>
public static class Program
{
    const string Usage = """
        Proxies: small-scale proxies for large-scale Transformer training instabilities.
        usage: proxies <verb> [options]   (from the repository without installing: dotnet run --project lib/Proxies.Cli -c Release -- <verb>)
          train         train one model and record its probes (train --help)
          experiments   list the named experiments with run counts and time estimates
          sweep         run a named experiment's grid, resumably, in parallel (sweep --help)
          report        final loss by LR and LR sensitivity by size, from a results folder
          forecast      will a planned run be unstable? fitted on a ladder of small runs, checked on held-out sizes (forecast --help)
          claims        every claim of notebooks 01–07 and 10–13 judged on a results folder (claims --help)
          merge         combine shard folders of a sweep run on several machines
          notebooks     run the notebooks headless and write the executed files (notebooks --help)
          gallery       every notebook as a Markdown page with its figures, in docs/gallery (gallery --help)
          bench         training speed here against the machine's matrix-multiply ceiling (bench --help)
        """;

    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help") { Console.WriteLine(Usage); return args.Length == 0 ? 2 : 0; }
        var rest = args[1..];
        try
        {
            if (Proxies.Model.CpuNumerics.EnvironmentError() is { } numerics) throw new UsageException(numerics);
            return args[0] switch
            {
                "train" when rest.Contains("--help") => PrintHelp(TrainVerb.Help),
                "train" => TrainVerb.Run(rest),
                "sweep" when rest.Contains("--help") => PrintHelp(SweepVerb.Help),
                "sweep" => SweepVerb.Run(rest),
                "worker" => WorkerVerb.Run(rest),
                "experiments" => ExperimentsVerb.Run(rest),
                "report" => ReportVerb.Run(rest),
                "forecast" when rest.Contains("--help") => PrintHelp(ForecastVerb.Help),
                "forecast" => ForecastVerb.Run(rest),
                "claims" when rest.Contains("--help") => PrintHelp(ClaimsVerb.Help),
                "claims" => ClaimsVerb.Run(rest),
                "merge" => MergeVerb.Run(rest),
                "notebooks" when rest.Contains("--help") => PrintHelp(NotebooksVerb.Help),
                "notebooks" => NotebooksVerb.Run(rest),
                "gallery" when rest.Contains("--help") => PrintHelp(GalleryVerb.Help),
                "gallery" => GalleryVerb.Run(rest),
                "bench" when rest.Contains("--help") => PrintHelp(BenchVerb.Help),
                "bench" => BenchVerb.Run(rest),
                _ => throw new UsageException($"unknown verb '{args[0]}'\n{Usage}"),
            };
        }
        catch (UsageException e) { return Refuse(e.Message); }
        catch (InvalidConfigException e) { return Refuse(e.Message); }
        catch (DataException e) { Console.Error.WriteLine($"error: {e.Message}"); return 2; }
        catch (OperationCanceledException) { return 130; }
        catch (ResultsFileException e) { Console.Error.WriteLine($"error: {e.Message}"); return 1; }
        catch (TorchLoadException e) { Console.Error.WriteLine($"error: {e.Message}"); return 1; }
        catch (IOException e) { Console.Error.WriteLine($"error: {e.Message}"); return 1; }
        catch (InvalidDataException e) { Console.Error.WriteLine($"error: {e.Message}"); return 1; }
        catch (UnauthorizedAccessException e) { Console.Error.WriteLine($"error: {e.Message} (is the output folder writable?)"); return 1; }
    }

    static int PrintHelp(string help) { Console.WriteLine(help); return 0; }

    static int Refuse(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }
}
