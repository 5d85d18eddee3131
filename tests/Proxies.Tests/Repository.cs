namespace Proxies.Tests;

/// <summary>The checkout the tests run from.</summary>
public static class Repository
{
    /// <summary>The folder holding Proxies.Notebooks.sln, found above the test binaries.</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Proxies.Notebooks.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("repository root not found above " + AppContext.BaseDirectory);
    }
}
