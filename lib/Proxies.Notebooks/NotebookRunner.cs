using System.Diagnostics;
using Proxies.Display;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Connection;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Events;

namespace Proxies.Notebooks;

/// <summary>How a notebook run ended: the executed file, and the failing cell (1-based among all cells) if any.</summary>
public sealed record NotebookRun(string Notebook, string ExecutedPath, int CellsRun, int? FailedCell, string? Error, double WallSeconds)
{
    public bool Succeeded => FailedCell is null;
}

/// <summary>
/// Runs a notebook top to bottom in the real .NET Interactive kernel, as "Run All" does in VS Code: a fresh kernel
/// process per notebook, started on stdio in the notebook's folder, each C# cell submitted in order, its outputs
/// (console text, displayed values, the returned value, the error) recorded as the cell's outputs, and the run stopped
/// at the first failing cell. Parameters reach the notebook as PROXIES_&lt;NAME&gt; environment variables of the kernel,
/// which <see cref="NotebookParameters"/> reads.
/// </summary>
public sealed class NotebookRunner(TextWriter? echo = null)
{
    static readonly KernelInfoCollection Kernels = new() { new KernelInfo("csharp", "C#", ["c#", "C#"]) };
    static NotebookRunner() => Kernels.DefaultKernelName = "csharp";

    readonly TextWriter log = echo ?? TextWriter.Null;
    KernelTool? tool;

    public async Task<NotebookRun> RunAsync(string notebookPath, string executedPath, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var clock = Stopwatch.StartNew();
        var document = Notebook.Parse(await File.ReadAllTextAsync(notebookPath), Kernels);
        // nbformat 4.5 requires an id on every cell; cells of older files get a stable one.
        for (int i = 0; i < document.Elements.Count; i++) document.Elements[i].Id ??= $"cell-{i + 1}";
        var folder = Path.GetDirectoryName(Path.GetFullPath(notebookPath))!;
        tool ??= KernelTool.Locate(log);
        int executed = 0;
        int? failed = null;
        string? error = null;

        using (KernelEnvironment(parameters))
        {
            var (connector, killTree, kernel) = await ConnectAsync(tool, folder);
            using var _ = connector;
            using var __ = killTree;
            using var ___ = kernel;
            using var live = kernel.KernelEvents.Subscribe(new Echo(log));
            for (int i = 0; i < document.Elements.Count; i++)
            {
                var cell = document.Elements[i];
                if (cell.KernelName is "markdown" or "md") continue;
                cell.Outputs.Clear();
                cell.ExecutionOrder = ++executed;
                var result = await kernel.SendAsync(new SubmitCode(cell.Contents, "csharp"));
                foreach (var e in result.Events)
                    if (Output(e, executed) is { } output) cell.Outputs.Add(output);
                if (result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failure)
                {
                    failed = i + 1;
                    var (name, message, _) = Describe(failure);
                    error = $"{name}: {message}";
                    break;
                }
            }
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(executedPath))!);
        Runtime.AtomicFile.WriteAllText(executedPath, Notebook.ToJupyterJson(document));
        return new NotebookRun(notebookPath, executedPath, executed, failed, error, clock.Elapsed.TotalSeconds);
    }

    static InteractiveDocumentOutputElement? Output(KernelEvent e, int executionOrder) => e switch
    {
        StandardOutputValueProduced o => new TextElement(Text(o), "stdout"),
        StandardErrorValueProduced o => new TextElement(Text(o), "stderr"),
        ReturnValueProduced r => ReturnValue(r, executionOrder),
        DisplayEvent d => new DisplayElement(Bundle(d)),
        CommandFailed f => Describe(f) is var (name, message, trace) ? new ErrorElement(message, name, trace) : null,
        _ => null,
    };

    static ReturnValueElement ReturnValue(ReturnValueProduced r, int executionOrder)
    {
        var element = new ReturnValueElement { ExecutionOrder = executionOrder };
        foreach (var (mime, value) in Bundle(r)) element.Data[mime] = value;
        return element;
    }

    static Dictionary<string, object> Bundle(DisplayEvent d) =>
        d.FormattedValues.Where(v => !v.SuppressDisplay).ToDictionary(v => v.MimeType, v => (object)v.Value);

    static string Text(DisplayEvent d) => string.Concat(d.FormattedValues.Select(v => v.Value));

    /// <summary>A compile error ("(1,1): error CS0103: …") or an exception ("System.Exception: boom\n   at …") as
    /// nbformat's ename, evalue and traceback.</summary>
    static (string Name, string Message, string[] Trace) Describe(CommandFailed f)
    {
        var lines = f.Message.Split('\n');
        var first = lines[0].Trim();
        if (first.Contains(": error CS", StringComparison.Ordinal)) return ("CompilationError", f.Message.Trim(), lines);
        int colon = first.IndexOf(": ", StringComparison.Ordinal);
        var name = colon > 0 && !first[..colon].Contains(' ') ? first[..colon].Split('.').Last() : "Error";
        return (name, colon > 0 ? first[(colon + 2)..] : first, lines);
    }

    /// <summary>Sets PROXIES_&lt;NAME&gt; for the kernel process (it inherits this process's environment) and restores
    /// the previous values when disposed.</summary>
    static IDisposable KernelEnvironment(IReadOnlyDictionary<string, string>? parameters)
    {
        var saved = new Dictionary<string, string?>();
        foreach (var (name, value) in parameters ?? new Dictionary<string, string>())
        {
            var variable = NotebookParameters.Variable(name);
            saved[variable] = Environment.GetEnvironmentVariable(variable);
            Environment.SetEnvironmentVariable(variable, value);
        }
        return new Restore(saved);
    }

    sealed class Restore(Dictionary<string, string?> saved) : IDisposable
    {
        public void Dispose() { foreach (var (k, v) in saved) Environment.SetEnvironmentVariable(k, v); }
    }

    /// <summary>Tries to start and connect a kernel this many times: the kernel process sometimes answers the first
    /// handshake without its kernel list, and StdIoKernelConnector throws "Sequence contains no matching element" (seen in
    /// CI, once in some hundreds of notebook starts). A fresh process connects.</summary>
    const int ConnectAttempts = 3;

    async Task<(StdIoKernelConnector Connector, KillTree KillTree, Microsoft.DotNet.Interactive.Kernel Kernel)> ConnectAsync(KernelTool tool, string folder)
    {
        for (int attempt = 1; ; attempt++)
        {
            var connector = new StdIoKernelConnector(tool.StdioCommand(folder), "root", new Uri("kernel://proxies-notebooks"), new DirectoryInfo(tool.Folder));
            var killTree = new KillTree(connector);
            try
            {
                await connector.CreateRootProxyKernelAsync();
                return (connector, killTree, await connector.CreateProxyKernelAsync("csharp", "csharp"));
            }
            catch (InvalidOperationException e) when (attempt < ConnectAttempts)
            {
                log.WriteLine($"the kernel did not connect ({e.Message}); starting a new one ({attempt + 1} of {ConnectAttempts})");
                killTree.Dispose();
                connector.Dispose();
            }
        }
    }

    /// <summary>
    /// Ends the kernel with its whole process tree. The connector's own Dispose ends only the process it started;
    /// `dotnet tool run` starts the kernel as a child of its own, which, orphaned, then spins at about half a core
    /// for as long as the machine runs (seen here).
    /// </summary>
    sealed class KillTree(StdIoKernelConnector connector) : IDisposable
    {
        public void Dispose()
        {
            if (connector.ProcessId is not { } pid) return;
            try { using var p = Process.GetProcessById(pid); p.Kill(entireProcessTree: true); p.WaitForExit(10_000); }
            catch (ArgumentException) { }                 // already gone
            catch (InvalidOperationException) { }
        }
    }

    /// <summary>Echoes console output as the kernel produces it, so a long notebook shows its progress in a CI log.</summary>
    sealed class Echo(TextWriter log) : IObserver<KernelEvent>
    {
        public void OnNext(KernelEvent e)
        {
            if (e is StandardOutputValueProduced or StandardErrorValueProduced) log.Write(Text((DisplayEvent)e));
        }
        public void OnCompleted() { }
        public void OnError(Exception error) { }
    }
}
