using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Proxies.Notebooks;

namespace Proxies.Tests.Notebooks;

/// <summary>The headless runner on small notebooks made for the test.</summary>
public class NotebookRunnerTests
{
    static string MakeNotebook(params (string Type, string Source)[] cells)
    {
        var root = Ipynb.NewRoot();
        foreach (var (type, source) in cells)
        {
            var cell = new JsonObject { ["cell_type"] = type, ["metadata"] = new JsonObject(), ["source"] = Ipynb.Lines(source) };
            if (type == "code")
            {
                cell["execution_count"] = null;
                cell["outputs"] = new JsonArray();
                cell["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } };
            }
            root["cells"]!.AsArray().Add(cell);
        }
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "test.ipynb");
        Ipynb.FromRoot(root, path).Save(path);
        return path;
    }

    static (NotebookRun Run, List<JsonObject> Cells) Execute(string path)
    {
        var executed = Path.Combine(Path.GetDirectoryName(path)!, "out", "executed.ipynb");
        var run = new NotebookRunner().RunAsync(path, executed).GetAwaiter().GetResult();
        return (run, Ipynb.Load(executed).Cells.ToList());
    }

    static IEnumerable<JsonObject> Outputs(JsonObject cell) => cell["outputs"]!.AsArray().OfType<JsonObject>();

    static string AllText(JsonObject cell) =>
        string.Concat(Outputs(cell).Select(o => Ipynb.Text(o["text"]) + Ipynb.Text(o["data"]?["text/plain"])));

    [Fact]
    public void StateUsingsDisplayTrailingValuesAndAwaitBehaveAsInTheKernel()
    {
        var path = MakeNotebook(
            ("markdown", "# A test notebook"),
            ("code", "#!csharp\nusing System.Globalization;\nvar x = 20;\nConsole.WriteLine(\"hello\");"),
            ("code", "x += 22;\ndisplay(x);\nConsole.WriteLine(\"after display\");"),
            ("code", "await Task.Delay(1);\nvar words = new List<string> { \"a\", \"b\" }.Select(w => w.ToUpper(CultureInfo.InvariantCulture));\nstring.Join(\"+\", words)"),
            ("code", "int Square(int n) => n * n;\nSquare(x)"));
        var (run, cells) = Execute(path);
        Assert.True(run.Succeeded, run.Error);
        Assert.Equal(4, run.CellsRun);
        Assert.Equal("hello\n", AllText(cells[1]));
        var outputs = Outputs(cells[2]).ToList();
        Assert.Equal("display_data", (string?)outputs[0]["output_type"]);
        Assert.Equal("42", Ipynb.Text(outputs[0]["data"]!["text/plain"]));
        Assert.Equal("stream", (string?)outputs[1]["output_type"]);       // order kept: display, then text
        Assert.Equal("A+B", AllText(cells[3]));
        Assert.Equal("1764", AllText(cells[4]));
        Assert.Equal(1, (int?)cells[1]["execution_count"]);
        Assert.Equal(4, (int?)cells[4]["execution_count"]);
    }

    [Fact]
    public void AFailingCellStopsTheRunNamesTheCellAndIsRecordedAsAnErrorOutput()
    {
        var path = MakeNotebook(
            ("code", "var a = 1;"),
            ("markdown", "text"),
            ("code", "throw new InvalidOperationException(\"broken on purpose\");"),
            ("code", "Console.WriteLine(\"never\");"));
        var (run, cells) = Execute(path);
        Assert.False(run.Succeeded);
        Assert.Equal(3, run.FailedCell);
        Assert.Contains("broken on purpose", run.Error);
        var error = Assert.Single(Outputs(cells[2]));
        Assert.Equal("error", (string?)error["output_type"]);
        Assert.Equal("InvalidOperationException", (string?)error["ename"]);
        Assert.Empty(Outputs(cells[3]));
    }

    [Fact]
    public void ACompileErrorIsReportedWithItsDiagnostic()
    {
        var (run, _) = Execute(MakeNotebook(("code", "int y = \"not a number\";")));
        Assert.Equal(1, run.FailedCell);
        Assert.Contains("CS0029", run.Error);
    }

    [Fact]
    public void HashRReferencesADllRelativeToTheNotebook()
    {
        var path = MakeNotebook(("code", "#r \"lib/Greeter.dll\"\nGreeting.Hello.Say(\"notebook\")"));
        var folder = Path.Combine(Path.GetDirectoryName(path)!, "lib");
        Directory.CreateDirectory(folder);
        var tree = CSharpSyntaxTree.ParseText("namespace Greeting { public static class Hello { public static string Say(string n) => \"hello \" + n; } }");
        var compilation = CSharpCompilation.Create("Greeter", new[] { tree },
            new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) }, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var emitted = compilation.Emit(Path.Combine(folder, "Greeter.dll"));
        Assert.True(emitted.Success);
        var (run, cells) = Execute(path);
        Assert.True(run.Succeeded, run.Error);
        Assert.Equal("hello notebook", AllText(cells[0]));
    }

    [Fact]
    public void RichOutputsBecomeMimeBundles()
    {
        // #r of an assembly already loaded (here: this test assembly) reuses it: one copy, shared statics.
        var self = typeof(FakeRich).Assembly.Location;
        var path = MakeNotebook(("code", $"#r \"{self}\"\ndisplay(new Proxies.Tests.Notebooks.FakeRich())"));
        var (run, cells) = Execute(path);
        Assert.True(run.Succeeded, run.Error);
        var data = Outputs(cells[0]).Single()["data"]!;
        Assert.Equal("<b>rich</b>", Ipynb.Text(data["text/html"]));
        Assert.Equal(1, (int?)data["application/vnd.plotly.v1+json"]!["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task ExecutedFileRoundTripsAndValidatesAgainstNbformat4()
    {
        var path = MakeNotebook(("markdown", "# t"), ("code", "Console.WriteLine(\"x\");\ndisplay(1);\n2"), ("code", "throw new Exception(\"e\");"));
        var executed = Path.Combine(Path.GetDirectoryName(path)!, "executed.ipynb");
        await new NotebookRunner().RunAsync(path, executed);
        var again = Path.Combine(Path.GetDirectoryName(path)!, "again.ipynb");
        Ipynb.Load(executed).Save(again);
        Assert.Equal(File.ReadAllText(executed), File.ReadAllText(again));
        NbformatValidator.AssertValid(executed);
    }
}

public sealed class FakeRich : IRichOutput
{
    public IReadOnlyDictionary<string, string> Bundle() => new Dictionary<string, string>
    {
        ["text/html"] = "<b>rich</b>",
        ["application/vnd.plotly.v1+json"] = "{\"data\":[{\"y\":[1,2]}],\"layout\":{}}",
    };
}

/// <summary>Validates with Jupyter's own nbformat package (Debian python3-nbformat, installed by .ci/run).</summary>
public static class NbformatValidator
{
    public static void AssertValid(string path)
    {
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "-c", "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print('valid')", path })
            info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (output.Contains("No module named 'nbformat'") || output.Contains("No such file"))
            Assert.Fail("nbformat validation needs Debian's python3-nbformat (apt-get install python3-nbformat); .ci/run installs it");
        Assert.True(p.ExitCode == 0 && output.Contains("valid"), output);
    }
}
