using System.Text.Json.Nodes;
using Proxies.Display;
using Proxies.Notebooks;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Documents;

namespace Proxies.Tests.Notebooks;

/// <summary>The headless runner on small notebooks made for the test, executed in the real .NET Interactive kernel.</summary>
public class NotebookRunnerTests
{
    /// <summary>Writes a notebook of (kernel, source) cells, "markdown" or "csharp", with the package's own writer.</summary>
    static string MakeNotebook(params (string Kernel, string Source)[] cells)
    {
        var document = new InteractiveDocument(cells.Select(c => new InteractiveDocumentElement(c.Source, c.Kernel)).ToList());
        var path = Path.Combine(Directory.CreateTempSubdirectory("proxies-nb-test-").FullName, "test.ipynb");
        File.WriteAllText(path, Notebook.ToJupyterJson(document, "C#"));
        return path;
    }

    static (NotebookRun Run, List<JsonObject> Cells) Execute(string path)
    {
        var executed = Path.Combine(Path.GetDirectoryName(path)!, "out", "executed.ipynb");
        var run = new NotebookRunner().RunAsync(path, executed).GetAwaiter().GetResult();
        NbformatValidator.AssertValid(executed);
        return (run, JsonNode.Parse(File.ReadAllText(executed))!["cells"]!.AsArray().OfType<JsonObject>().ToList());
    }

    static List<JsonObject> Outputs(JsonObject cell) => cell["outputs"]!.AsArray().OfType<JsonObject>().ToList();

    static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        _ => (string?)node ?? "",
    };

    static string AllText(JsonObject cell) =>
        string.Concat(Outputs(cell).Select(o => Text(o["text"]) + Text(o["data"]?["text/plain"]) + Text(o["data"]?["text/html"])));

    [Fact]
    public void CellsShareStateAndShowOutputsAsInVsCode()
    {
        var path = MakeNotebook(
            ("markdown", "# A test notebook"),
            ("csharp", "using System.Globalization;\nvar x = 20;\nConsole.WriteLine(\"hello\");"),
            ("csharp", "x += 22;\ndisplay(x);\nConsole.WriteLine(\"after display\");"),
            ("csharp", "await Task.Delay(1);\nvar words = new List<string> { \"a\", \"b\" }.Select(w => w.ToUpper(CultureInfo.InvariantCulture));\nstring.Join(\"+\", words)"),
            ("csharp", "#r \"lib/Greeter.dll\"\nGreeting.Hello.Say(\"notebook\")"),
            ("csharp", $"#r \"{typeof(Table).Assembly.Location}\"\nvar t = Proxies.Display.Table.FromRows(\"t\", new[] {{ \"a\", \"b\" }}, new[] {{ new object[] {{ 1.5, \"x\" }} }});\nt.Show();"),
            // A Deedle frame left as a cell's value shows as the workbook's table (Proxies.Display.FrameFormatter).
            ("csharp", "t.Frame"));
        WriteGreeter(Path.Combine(Path.GetDirectoryName(path)!, "lib"));
        var (run, cells) = Execute(path);
        Assert.True(run.Succeeded, run.Error);
        Assert.Equal(6, run.CellsRun);
        Assert.Equal("hello\n", AllText(cells[1]));
        var shown = Outputs(cells[2]);
        Assert.Equal("display_data", (string?)shown[0]["output_type"]);
        Assert.Contains("42", AllText(cells[2]));
        Assert.Equal("stream", (string?)shown[1]["output_type"]);          // order kept: display, then text
        Assert.Contains("A+B", AllText(cells[3]));
        Assert.Equal("execute_result", (string?)Outputs(cells[3]).Single()["output_type"]);
        Assert.Contains("hello notebook", AllText(cells[4]));               // #r resolves against the notebook's folder
        // The library's MIME bundle arrives whole, as one display output.
        var table = Outputs(cells[5]).Single();
        Assert.StartsWith("<table><caption>t</caption>", Text(table["data"]!["text/html"]));
        Assert.Contains("1.500", Text(table["data"]!["text/plain"]));
        var frame = Outputs(cells[6]).Single();
        Assert.Equal("<table><caption></caption><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1.500</td><td>x</td></tr></tbody></table>",
            Text(frame["data"]!["text/html"]));
        Assert.Equal(1, (int?)cells[1]["execution_count"]);
        Assert.Equal(5, (int?)cells[5]["execution_count"]);
    }

    static void WriteGreeter(string folder)
    {
        Directory.CreateDirectory(folder);
        var tree = CSharpSyntaxTree.ParseText("namespace Greeting { public static class Hello { public static string Say(string n) => \"hello \" + n; } }");
        var compilation = CSharpCompilation.Create("Greeter", [tree],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)], new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.True(compilation.Emit(Path.Combine(folder, "Greeter.dll")).Success);
    }

    [Fact]
    public void AFailingCellStopsTheRunNamesTheCellAndIsRecordedAsAnErrorOutput()
    {
        var path = MakeNotebook(
            ("csharp", "var a = 1;"),
            ("markdown", "text"),
            ("csharp", "throw new InvalidOperationException(\"broken on purpose\");"),
            ("csharp", "Console.WriteLine(\"never\");"));
        var (run, cells) = Execute(path);
        Assert.False(run.Succeeded);
        Assert.Equal(3, run.FailedCell);
        Assert.Equal("InvalidOperationException: broken on purpose", run.Error);
        var error = Assert.Single(Outputs(cells[2]));
        Assert.Equal("error", (string?)error["output_type"]);
        Assert.Equal("InvalidOperationException", (string?)error["ename"]);
        Assert.Empty(Outputs(cells[3]));
    }

    [Fact]
    public void ACompileErrorIsReportedWithItsDiagnosticAsTheKernelHasNoImplicitSystemIo()
    {
        // The kernel imports System, System.Linq, System.Collections.Generic, System.Text and System.Threading.Tasks, not
        // System.IO: a notebook cell that uses Path must say `using System.IO;` itself.
        var (run, _) = Execute(MakeNotebook(("csharp", "Path.Combine(\"a\", \"b\")")));
        Assert.Equal(1, run.FailedCell);
        Assert.Contains("CS0103", run.Error);
        Assert.StartsWith("CompilationError", run.Error);
    }
}

public class NbformatValidatorTests
{
    [Fact]
    public void TheSchemaAcceptsAMinimalNotebookAndRejectsACellWithoutAnId()
    {
        const string Valid = """{"cells": [{"cell_type": "markdown", "id": "a1", "metadata": {}, "source": "x"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""";
        Assert.True(NbformatValidator.IsValid(Valid));
        Assert.False(NbformatValidator.IsValid(Valid.Replace("\"id\": \"a1\", ", "")));
        Assert.False(NbformatValidator.IsValid(Valid.Replace("\"markdown\"", "\"markup\"")));
    }
}
