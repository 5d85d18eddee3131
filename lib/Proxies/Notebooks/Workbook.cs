using System.Runtime.InteropServices;
using Proxies.Data;
using Proxies.Display;
using Proxies.Experiments;
using Proxies.Forecasting;
using Proxies.Model;
using Proxies.Results;
using Proxies.Runtime;
using Proxies.Sweeps;
using Proxies.Training;

namespace Proxies.Notebooks;

/// <summary>What a notebook's cells call: its parameters, running a named sweep with progress, loading the results.</summary>
public static class Workbook
{
    /// <summary>The notebook's sweep settings (<see cref="SweepSettings.All"/>), read in one call from its parameters: what
    /// <see cref="Use"/> set in a cell, else the PROXIES_&lt;NAME&gt; variables the headless runner sets, else the defaults.</summary>
    public static SweepSettings Settings => SweepSettings.Read(s => NotebookParameters.TryGet(s.Name));

    /// <summary>Sets the notebook's settings for the cells after this one (in VS Code: the parameters cell).</summary>
    public static void Use(SweepSettings settings)
    {
        foreach (var (name, word) in settings.Words()) NotebookParameters.Set(name, word);
    }

    public static Profile Profile => Settings.Profile;

    /// <summary>The settings, where results and figures go: what a notebook's parameters cell shows.</summary>
    public static string Describe() => $"{Settings}; results in {ResultsRoot}; figures in {Path.GetFullPath(Figures.FigureOutput.Folder)}";

    /// <summary>Where sweeps go: the committed reference results (results/&lt;profile&gt;) unless told otherwise,
    /// so the quick profile opens instantly from the committed runs and any missing run is trained. bf16 runs go to
    /// results/&lt;profile&gt;-bf16: a folder holds one kind of numerics.</summary>
    public static string ResultsRoot => Path.GetFullPath(NotebookParameters.TryGet("results") ?? CommittedResults(Settings));

    static string CommittedResults(SweepSettings s) => Path.Combine("..", "results", s.Profile.Name() + s.NumericsSuffix);

    /// <summary>A config with the notebook's numerics (the matmul precision), for a run a notebook trains itself
    /// rather than through <see cref="Sweep"/>, which applies them to every run of its grid.</summary>
    public static TrainConfig WithNumerics(TrainConfig c) => Settings.Apply(c);

    public static ProgressiveSensitivityPlan WithNumerics(ProgressiveSensitivityPlan plan) =>
        plan with { PreTrain = WithNumerics(plan.PreTrain), FineTune = WithNumerics(plan.FineTune) };

    /// <summary>The CLI beside this library (notebooks reference the CLI's build folder), for worker processes.</summary>
    public static string? WorkerExecutable
    {
        get
        {
            var folder = Path.GetDirectoryName(typeof(Workbook).Assembly.Location)!;
            var path = Path.Combine(folder, OperatingSystem.IsWindows() ? "Proxies.Cli.exe" : "Proxies.Cli");
            return File.Exists(path) ? path : null;
        }
    }

    /// <summary>Whether <see cref="Sweep"/> may train runs the results folder lacks ("true", the default); "false" when a
    /// notebook must only read what is recorded (the gallery renders the committed results, and must not spend hours or
    /// write into them).</summary>
    public static bool TrainMissing => NotebookParameters.Get("train-missing", "true") != "false";

    /// <summary>Runs (or resumes) a named experiment of the catalogue at the notebook's profile, printing a line per finished run.</summary>
    public static ResultsStore Sweep(string experiment, int? workers = null) => Sweep(Catalog.Find(experiment), workers);

    /// <summary>Runs (or resumes) an experiment, a catalogue's or one declared in a cell (<see cref="Grid.Of"/>), at the
    /// notebook's profile, numerics and data, printing a line per finished run; its results go to a folder of its name.</summary>
    public static ResultsStore Sweep(Experiment declared, int? workers = null)
    {
        string experiment = declared.Name;
        var settings = Settings;
        var e = settings.Apply(declared);
        if (!TrainMissing)
        {
            var recorded = new ResultsStore(ResultsRoot, experiment).Runs().Select(r => r.RunId).ToHashSet();
            int missing = Sweeps.Sweep.Plan(e, Profile, Shard.All).Count(c => !recorded.Contains(c.RunId));
            if (missing > 0) throw new InvalidOperationException($"{experiment}: {missing} runs of the {Profile.Name()} profile are not in {ResultsRoot}, " +
                $"and this notebook runs with train-missing=false; " +
                (Catalog.All.Any(c => c.Name == experiment) ? $"run `sweep {experiment} --profile {Profile.Name()}` first" : "run it once with train-missing=true"));
        }
        foreach (var budget in DataBudget.Ensure(e.Runs(Profile), settings.RepeatData)) Console.WriteLine($"data: {budget}");
        int n = workers ?? Environment.ProcessorCount;
        IRunExecutor executor = n > 1 && WorkerExecutable is { } exe
            ? new WorkerPoolExecutor(exe, Array.Empty<string>(), n, 1, settings.Device, settings.CheckpointEvery)
            : new InProcessExecutor(settings.Device, checkpointEvery: settings.CheckpointEvery);
        var started = DateTime.UtcNow;
        var progress = new ConsoleProgress(started);
        var summary = Sweeps.Sweep.Run(e, Profile, ResultsRoot, executor, workers: n, progress: progress);
        Console.WriteLine($"{experiment} ({Profile.Name()}): {summary.Done} runs trained now, {summary.Skipped} already in {summary.Folder}" +
                          $" ({(DateTime.UtcNow - started).TotalSeconds:F0} s)");
        if (summary.Failures.Count > 0) throw new InvalidOperationException("failed runs:\n" + string.Join("\n", summary.Failures));
        var store = new ResultsStore(ResultsRoot, experiment);
        if (summary.Skipped > 0 && Manifest.SweepTime(store) is { Sweeps: > 0 } took)
            Console.WriteLine($"the sweeps recorded in its manifest.json trained for {(took.Total.TotalMinutes >= 1 ? $"{took.Total.TotalMinutes:F0} min" : $"{took.Total.TotalSeconds:F0} s")} in all " +
                              $"({took.Sweeps} sweep(s), up to {took.Workers} worker(s)): about what training them again costs on a machine like that one");
        return store;
    }

    /// <summary>A forecast for <paramref name="planned"/> (with the notebook's numerics) at the notebook's profile: its
    /// ladder trained where the results folder lacks it (runs of other experiments copied by id), fitted and checked on
    /// the held-out sizes (<see cref="ForecastStudy"/>); the report's CSV files are written beside the ladder.</summary>
    public static ForecastStudy Forecast(TrainConfig planned, IReadOnlyList<double>? lrs = null, double tolerance = ForecastStudy.DefaultTolerance)
    {
        var ladder = ForecastLadder.For(Profile);
        var grid = lrs ?? ladder.Budget.LearningRates;
        var plan = Settings.Apply(planned);
        if (!TrainMissing)
        {
            var recorded = new ResultsStore(ResultsRoot, ForecastStudy.ExperimentName).Runs().Select(r => r.RunId).ToHashSet();
            int missing = ForecastStudy.Plan(ladder, plan, grid, heldOut: true).Count(c => !recorded.Contains(c.RunId));
            if (missing > 0) throw new InvalidOperationException($"forecast: {missing} ladder runs of the {Profile.Name()} profile are not in {ResultsRoot}, " +
                "and this notebook runs with train-missing=false; run it once with train-missing=true, or the `forecast` command");
        }
        var started = DateTime.UtcNow;
        var study = ForecastStudy.Run(plan, grid, Profile, ResultsRoot, tolerance, heldOut: true,
            new InProcessExecutor(Settings.Device, checkpointEvery: Settings.CheckpointEvery), new ConsoleProgress(started));
        Console.WriteLine($"forecast ladder ({Profile.Name()}): {study.Points.Count} runs in {study.Folder} ({(DateTime.UtcNow - started).TotalSeconds:F0} s)");
        foreach (var path in ForecastTables.Write(study.ReportFolder, study.Report))
            Console.WriteLine($"wrote {path}");
        return study;
    }

    sealed class ConsoleProgress(DateTime started) : IProgress<SweepProgress>
    {
        public void Report(SweepProgress p)
        {
            if (p.RunId == "") { if (p.Total > 0) Console.WriteLine($"{p.Message}; training {p.Total}"); return; }
            double elapsed = (DateTime.UtcNow - started).TotalSeconds;
            Console.WriteLine($"  run {p.Done}/{p.Total} ({elapsed:F0} s, ~{elapsed / p.Fraction - elapsed:F0} s left): {p.Message}");
        }
    }

    /// <summary>The environment checks of notebook 00, as rows (check, value, ok).</summary>
    public static Table EnvironmentReport()
    {
        var rows = new List<(string Check, string Value, string Status)>();
        void Add(string check, Func<string> value)
        {
            try { rows.Add((check, value(), "ok")); }
            catch (Exception e) { rows.Add((check, e.Message, "PROBLEM")); }
        }
        Add("libtorch", () => { TorchRuntime.Start(); return $"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}, {RuntimeInformation.OSDescription}"; });
        Add("threads", () => $"{TorchSharp.torch.get_num_threads()} intra-op threads on {Environment.ProcessorCount} cores, OMP_WAIT_POLICY={Environment.GetEnvironmentVariable("OMP_WAIT_POLICY")}");
        Add("device", () => TorchSharp.torch.cuda.is_available() ? $"CUDA available ({TorchSharp.torch.cuda.device_count()} device(s))" : "CPU (no CUDA device or CPU build)");
        Add("data", () =>
        {
            var streams = TokenStreams.Load(TextCorpus.DefaultPath);
            return $"{streams.Source}: {streams.Train.Length / 1e6:F2} M training tokens (bytes), {streams.Eval.Length / 1e6:F2} M held out";
        });
        Add("figures", () => Figures.FigureOutput.ImageProblem ?? $"HTML, PNG and SVG into {Path.GetFullPath(Figures.FigureOutput.Folder)}");
        Add("workers", () => WorkerExecutable is { } w ? $"sweeps use {Environment.ProcessorCount} worker processes ({w})" : "sweeps run in this process (build lib/Proxies.Cli to use worker processes)");
        Add("results", () => $"{ResultsRoot} (profile {Profile.Name()}, {Settings.Matmul.Name()} matmuls)");
        return Table.Of("Environment", rows, ("check", r => r.Check), ("value", r => r.Value), ("status", r => r.Status));
    }
}
