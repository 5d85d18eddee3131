using Proxies.Model;
using Proxies.Results;
using Proxies.Sweeps;
using Proxies.Training;

namespace Proxies.Tests.Reliability;

/// <summary>Faults a shared server produces: a read-only or full disk, a damaged results file, a failing notebook.
/// Each gives a message naming the file and what to do, keeps what was finished, and exits non-zero.</summary>
public class FaultTests
{
    static string Temp(string prefix) => Directory.CreateTempSubdirectory(prefix).FullName;

    [Fact]
    public void ReadOnlyOutputFolderIsRefusedBeforeTraining()
    {
        var folder = Temp("proxies-ro-");
        // A real read-only file system where this process may mount one (root); else a folder path under a file.
        bool mounted = CliProcess.TryMount(folder, "ro,size=1m");
        var outDir = mounted ? Path.Combine(folder, "out") : Path.Combine(folder, "a-file", "out");
        if (!mounted) File.WriteAllText(Path.Combine(folder, "a-file"), "");
        try
        {
            var (code, stdout, stderr) = CliProcess.Run("train", "--steps", "5", "--out", outDir);
            Assert.Equal(1, code);
            Assert.Contains($"cannot write results to {outDir}", stderr);
            Assert.Contains("Choose another --out", stderr);
            Assert.DoesNotContain("train 1/5", stdout);   // refused before the first step
        }
        finally { if (mounted) CliProcess.Unmount(folder); }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AWorkerThatDiesHasItsRunRunOnceMoreInAFreshWorker(int deaths)
    {
        // The worker is a shell that dies (exit 134, as a native abort does) after reading its run, `deaths` times over,
        // then is the real worker: one death costs nothing, two are reported.
        var folder = Temp("proxies-died-");
        string count = Path.Combine(folder, "deaths");
        string script = $"n=$(cat {count} 2>/dev/null || echo 0); if [ $n -lt {deaths} ]; then echo $((n+1)) > {count}; read run; exit 134; fi; " +
                        $"exec \"{CliProcess.AppHost}\" \"$@\"";
        var executor = new WorkerPoolExecutor("/bin/sh", new[] { "-c", script, "worker" }, workers: 1, threadsPerWorker: 1, device: "cpu");
        var run = new TrainConfig { Model = new ModelConfig { Width = 32, Depth = 1, Heads = 1, SeqLen = 16 }, BatchSize = 4, Steps = 5, WarmupSteps = 1 };
        var finished = new List<string>();
        var failures = executor.Execute(new[] { run }, folder, (id, message) => finished.Add($"{id} {message}"), CancellationToken.None);
        var recorded = new ResultsStore(folder, run.Experiment).Runs().Select(r => r.RunId).ToList();
        if (deaths == 1)
        {
            Assert.Empty(failures);
            Assert.Equal(new[] { run.RunId }, recorded);
        }
        else
        {
            var failure = Assert.Single(failures);
            Assert.Equal($"{run.RunId}: worker exited with code 134, and again (worker exited with code 134) when run once more", failure);
            Assert.Empty(recorded);
        }
        Assert.Single(finished);                          // the progress hears of the run once, either way
    }

    [Fact]
    public void FullDiskFailsRunsCleanlyAndKeepsFinishedResults()
    {
        var folder = Temp("proxies-full-");
        Assert.True(CliProcess.TryMount(folder, "size=48k"), "this test mounts a 48 KiB tmpfs as a full disk: run as root on Linux");
        try
        {
            // The first runs fit; later curves do not. Every failure is reported, nothing is torn.
            var (code, stdout, stderr) = CliProcess.Run("sweep", "lr-sensitivity", "--profile", "smoke", "--workers", "2", "--out", folder);
            Assert.Equal(1, code);
            Assert.Contains("No space left on device", stdout + stderr);
            var store = new ResultsStore(folder, "lr-sensitivity");
            var finished = File.Exists(store.RunsCsv) ? store.Runs() : new();
            foreach (var run in finished) CurveFile.Read(store.CurvePath(run.RunId));   // every kept file parses
            Assert.Empty(Directory.GetFiles(store.Folder, "*.tmp", SearchOption.AllDirectories));
            Assert.True(finished.Count < 8);
        }
        finally { CliProcess.Unmount(folder); }
    }

    [Fact]
    public void FolderThatVanishesMidSweepIsRebuiltOnResume()
    {
        var folder = Temp("proxies-vanish-");
        using (var p = CliProcess.Start("sweep", "lr-sensitivity", "--profile", "smoke", "--workers", "2", "--out", folder))
        {
            for (string? line; (line = p.StandardOutput.ReadLine()) is not null;)
                if (line.Contains("sweep 2/")) { DeleteWhileWritten(Path.Combine(folder, "lr-sensitivity")); break; }
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
        }
        var (code, stdout, stderr) = CliProcess.Run("sweep", "lr-sensitivity", "--profile", "smoke", "--out", folder);
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal(8, new ResultsStore(folder, "lr-sensitivity").Runs().Count);
    }

    /// <summary>Deletes a folder the sweep's workers are still writing into: a file written between the listing and the
    /// removal makes one attempt fail with "Directory not empty" (seen in CI), so it tries again.</summary>
    static void DeleteWhileWritten(string folder)
    {
        for (int attempt = 1; ; attempt++)
        {
            try { Directory.Delete(folder, recursive: true); return; }
            catch (DirectoryNotFoundException) { return; }
            catch (IOException) when (attempt < 100) { Thread.Sleep(10); }
        }
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("header")]
    [InlineData("value")]
    public void DamagedRunsCsvIsRefusedNamingTheFile(string damage)
    {
        var folder = Temp("proxies-damaged-");
        Assert.Equal(0, CliProcess.Run("sweep", "lr-sensitivity", "--profile", "smoke", "--shard", "0/4", "--out", folder).Code);
        var store = new ResultsStore(folder, "lr-sensitivity");
        var text = File.ReadAllText(store.RunsCsv);
        File.WriteAllText(store.RunsCsv, damage switch
        {
            "truncated" => text[..(text.Length - 40)].Replace("\"{", "{"),      // a torn last row
            "header" => "my,own,columns\n" + text[(text.IndexOf('\n') + 1)..],
            _ => text.Replace(",false,", ",maybe,").Replace(",-1,", ",minus one,"),
        });
        var before = File.ReadAllText(store.RunsCsv);
        var (code, _, stderr) = CliProcess.Run("sweep", "lr-sensitivity", "--profile", "smoke", "--out", folder);
        Assert.Equal(1, code);
        Assert.Contains(store.RunsCsv, stderr);
        Assert.Contains("Move the file aside", stderr);
        Assert.Equal(before, File.ReadAllText(store.RunsCsv));     // the damaged file is left for the user to inspect
        (code, _, stderr) = CliProcess.Run("report", folder);
        Assert.Equal(1, code);
        Assert.Contains(store.RunsCsv, stderr);
    }

    [Fact]
    public void TruncatedCurveIsRefusedByMergeNamingTheFile()
    {
        var shard = Temp("proxies-shard-");
        Assert.Equal(0, CliProcess.Run("sweep", "lr-sensitivity", "--profile", "smoke", "--shard", "1/4", "--out", shard).Code);
        var store = new ResultsStore(shard, "lr-sensitivity");
        var curve = store.CurvePath(store.Runs()[0].RunId);
        var text = File.ReadAllText(curve);
        File.WriteAllText(curve, text[..(text.Length / 2)]);
        var (code, _, stderr) = CliProcess.Run("merge", Temp("proxies-merged-"), shard);
        Assert.Equal(1, code);
        Assert.Contains(curve, stderr);
    }

    [Fact]
    public void MergeRefusesToPoolFp32AndBf16ShardsBeforeWritingAnything()
    {
        string fp32 = Temp("proxies-shard-fp32-"), bf16 = Temp("proxies-shard-bf16-"), merged = Temp("proxies-merged-");
        Assert.Equal(0, CliProcess.Run("sweep", "lr-sensitivity", "--profile", "smoke", "--shard", "0/8", "--out", fp32).Code);
        Assert.Equal(0, CliProcess.Run("sweep", "lr-sensitivity", "--profile", "smoke", "--shard", "1/8", "--matmul", "bf16", "--out", bf16).Code);
        var (code, _, stderr) = CliProcess.Run("merge", merged, fp32, bf16);
        Assert.Equal(2, code);
        Assert.Contains("merge lr-sensitivity", stderr);
        Assert.Contains("bf16", stderr);
        Assert.Empty(Directory.GetFileSystemEntries(merged));
    }

    [Fact]
    public void MissingDataFileIsRefusedWithExitCode2()
    {
        var (code, _, stderr) = CliProcess.Run("train", "--data", "/no/such/corpus.txt.gz", "--out", Temp("proxies-nodata-"));
        Assert.Equal(2, code);
        Assert.Contains("--data /no/such/corpus.txt.gz", stderr);
    }

    [Fact]
    public void NotebookWhoseCellThrowsExitsNonZeroNamingTheCell()
    {
        var folder = Temp("proxies-nb-");
        var notebook = Path.Combine(folder, "bad.ipynb");
        File.WriteAllText(notebook, """
            {"cells": [
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": ["var ok = 1;"]},
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": ["throw new Exception(\"cell two fails\");"]}
            ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """);
        var (code, stdout, _) = CliProcess.Run("notebooks", notebook, "--profile", "smoke", "--out", Path.Combine(folder, "out"));
        Assert.Equal(1, code);
        Assert.Contains($"FAILED: {notebook}, cell 2: Exception: cell two fails", stdout);
        Assert.True(File.Exists(Path.Combine(folder, "out", "bad.ipynb")));
    }
}
