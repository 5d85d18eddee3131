using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Proxies.Notebooks;

/// <summary>How a notebook run ended: the executed file, and the failing cell (1-based among all cells) if any.</summary>
public sealed record NotebookRun(string Notebook, string ExecutedPath, int CellsRun, int? FailedCell, string? Error, double WallSeconds)
{
    public bool Succeeded => FailedCell is null;
}

/// <summary>
/// Runs a notebook's C# cells in order with the C# kernel's semantics (Roslyn scripting: one shared state,
/// <c>#r</c>, <c>using</c>, <c>display(...)</c>, a trailing expression as the cell's value, top-level await),
/// and writes the executed notebook with stdout, displayed values and errors as cell outputs. Stops at the first
/// failing cell, as "Run All" does.
/// </summary>
public sealed class NotebookRunner : IDisplaySink
{
    static readonly string[] KernelImports =
        { "System", "System.IO", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq" };

    JsonArray? outputs;
    readonly TextWriter echo;

    /// <param name="echo">where console output of cells is also written as it happens (progress in CI logs).</param>
    public NotebookRunner(TextWriter? echo = null) => this.echo = echo ?? TextWriter.Null;

    public async Task<NotebookRun> RunAsync(string notebookPath, string executedPath)
    {
        var clock = Stopwatch.StartNew();
        var notebook = Ipynb.Load(notebookPath);
        var folder = Path.GetDirectoryName(Path.GetFullPath(notebookPath))!;
        var options = ScriptOptions.Default
            .WithImports(KernelImports)
            .AddReferences(typeof(object).Assembly, typeof(Enumerable).Assembly, typeof(Console).Assembly,
                typeof(System.Collections.Generic.List<>).Assembly, typeof(NotebookOutput).Assembly)
            .WithFilePath(Path.GetFullPath(notebookPath));
        ScriptState<object>? state = null;
        var globals = new ScriptGlobals();
        int cellNumber = 0, executed = 0;
        int? failed = null;
        string? error = null;

        var savedOut = Console.Out;
        var savedDirectory = Environment.CurrentDirectory;
        var savedSink = NotebookOutput.Sink;
        Environment.CurrentDirectory = folder;   // as in the kernel: relative paths start at the notebook
        NotebookOutput.Sink = this;
        NotebookOutput.NewSession();
        try
        {
            foreach (var cell in notebook.Cells)
            {
                cellNumber++;
                // nbformat 4.5 requires a cell id; older files get a stable one.
                if ((int?)notebook.Root["nbformat_minor"] >= 5 && cell["id"] is null) cell["id"] = $"cell-{cellNumber}";
                if ((string?)cell["cell_type"] != "code") continue;
                outputs = new JsonArray();
                cell["outputs"] = outputs;
                cell["execution_count"] = ++executed;
                var capture = new StringWriter();
                Console.SetOut(new TeeWriter(capture, echo));
                try
                {
                    var (code, references) = CellDirectives.Extract(Ipynb.Source(cell), folder);
                    if (references.Count > 0) options = options.AddReferences(references);
                    state = state is null
                        ? await CSharpScript.RunAsync(code, options, globals, typeof(ScriptGlobals))
                        : await state.ContinueWithAsync(code, options);
                    FlushStdout(capture);
                    if (state.ReturnValue is not null) DisplayValue(state.ReturnValue);
                }
                catch (CompilationErrorException e)
                {
                    FlushStdout(capture);
                    AddError("CompilationError", string.Join("\n", e.Diagnostics.Select(d => d.ToString())));
                }
                catch (Exception e)
                {
                    FlushStdout(capture);
                    var inner = e is AggregateException { InnerException: { } i } ? i : e;
                    AddError(inner.GetType().Name, inner.Message, inner.ToString());
                }
                if (outputs.OfType<JsonObject>().Any(o => (string?)o["output_type"] == "error"))
                {
                    failed = cellNumber;
                    var err = outputs.OfType<JsonObject>().Last(o => (string?)o["output_type"] == "error");
                    error = $"{err["ename"]}: {err["evalue"]}";
                    break;
                }
            }
        }
        finally
        {
            Console.SetOut(savedOut);
            Environment.CurrentDirectory = savedDirectory;
            NotebookOutput.Sink = savedSink;
        }
        notebook.Save(executedPath);
        return new NotebookRun(notebookPath, executedPath, executed, failed, error, clock.Elapsed.TotalSeconds);
    }

    /// <summary>A value shown by <c>display(...)</c> or returned by a cell.</summary>
    internal static void DisplayValue(object? value)
    {
        if (value is IRichOutput rich) NotebookOutput.Publish(rich.Bundle());
        else NotebookOutput.Publish(new Dictionary<string, string> { ["text/plain"] = value?.ToString() ?? "null" });
    }

    public void Display(IReadOnlyDictionary<string, string> bundle)
    {
        if (outputs is null) return;
        // Text printed before the display stays before it.
        if (Console.Out is TeeWriter tee) FlushStdout(tee.Capture);
        var data = new JsonObject();
        foreach (var (mime, content) in bundle)
            data[mime] = mime.EndsWith("json") ? JsonNode.Parse(content) : Ipynb.Lines(content);
        outputs.Add(new JsonObject { ["output_type"] = "display_data", ["data"] = data, ["metadata"] = new JsonObject() });
    }

    void FlushStdout(StringWriter capture)
    {
        var text = capture.ToString();
        capture.GetStringBuilder().Clear();
        if (text.Length == 0 || outputs is null) return;
        outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = Ipynb.Lines(text) });
    }

    void AddError(string name, string message, string? trace = null) =>
        outputs!.Add(new JsonObject
        {
            ["output_type"] = "error",
            ["ename"] = name,
            ["evalue"] = message,
            ["traceback"] = new JsonArray((trace ?? message).Split('\n').Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
        });

    /// <summary>Writes to the cell's capture and echoes to the console.</summary>
    sealed class TeeWriter(StringWriter capture, TextWriter echo) : TextWriter
    {
        public StringWriter Capture => capture;
        public override System.Text.Encoding Encoding => capture.Encoding;
        public override void Write(char value) { lock (capture) capture.Write(value); echo.Write(value); }
        public override void Write(string? value) { lock (capture) capture.Write(value); echo.Write(value); }
        public override void Flush() => echo.Flush();
    }
}
