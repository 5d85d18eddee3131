namespace Proxies.Data;

/// <summary>Where the workbook keeps what it can always rebuild: tokenized corpora and learned BPE vocabularies.</summary>
public static class CacheFolder
{
    public const string Variable = "PROXIES_CACHE";

    /// <summary>$PROXIES_CACHE, else ~/.cache/proxies (the temporary folder when there is no home).</summary>
    public static string Default
    {
        get
        {
            if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } folder) return Path.GetFullPath(folder);
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return home.Length > 0 ? Path.Combine(home, ".cache", "proxies") : Path.Combine(Path.GetTempPath(), "proxies-cache");
        }
    }
}
