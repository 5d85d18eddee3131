namespace Proxies.Results;

/// <summary>An output folder that cannot be written; the message names it and what to do.</summary>
public sealed class OutputFolderException(string folder, string reason)
    : IOException($"cannot write results to {folder}: {reason}. Choose another --out, make the folder writable, or free disk space; finished results already there are kept.");

public static class OutputFolder
{
    /// <summary>Creates the folder and proves it writable before any training starts (a read-only or full
    /// disk found after an hour of training would waste the hour).</summary>
    public static void EnsureWritable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".write-test.{Environment.ProcessId}.tmp");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFolderException(folder, e.Message);
        }
    }
}
