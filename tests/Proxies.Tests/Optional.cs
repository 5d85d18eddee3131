namespace Proxies.Tests;

/// <summary>
/// Checks that need something outside the .NET SDK (Chromium for PNG/SVG, Jupyter for the Jupyter route) skip with the
/// reason when it is missing, so that `dotnet test` passes on a machine with the SDK alone. CI sets
/// PROXIES_REQUIRE_ALL=1 (and installs them), which turns every such skip into a failure.
/// </summary>
public static class Optional
{
    public const string RequireAllVariable = "PROXIES_REQUIRE_ALL";

    public static bool RequireAll => Environment.GetEnvironmentVariable(RequireAllVariable) is "1" or "true";

    /// <summary>Skips the test, or fails it under <see cref="RequireAll"/>, when <paramref name="missing"/> says what is absent.</summary>
    public static void Need(string? missing)
    {
        if (missing is null) return;
        if (RequireAll) Assert.Fail($"{missing} ({RequireAllVariable} is set, so this check may not skip)");
        Skip.If(true, missing);
    }

    public static string? Chromium() =>
        Proxies.Figures.ImageExporter.FindChromium().Problem;

    public static string? Jupyter() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, "jupyter-nbconvert"))) ? null
        : "the Jupyter route needs jupyter-nbconvert on PATH (Debian: apt-get install jupyter-nbconvert python3-nbclient python3-jupyter-client python3-ipykernel)";
}
