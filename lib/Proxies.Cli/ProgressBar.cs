namespace Proxies.Cli;

/// <summary>A one-line progress bar with ETA on a terminal; a line every 10% when output is redirected (logs, CI). The
/// fraction is the caller's share of the work done (a sweep's FLOPs), so the time left is the elapsed time scaled by it.</summary>
public sealed class ProgressBar(string label, int total)
{
    int lastDecile = -1;
    readonly DateTime start = DateTime.UtcNow;

    public void Update(int done, double fraction, string detail)
    {
        double elapsed = (DateTime.UtcNow - start).TotalSeconds;
        string eta = fraction > 0 ? $"{elapsed / fraction - elapsed:F0}s left" : "";
        if (Console.IsOutputRedirected)
        {
            int decile = (int)(fraction * 10);
            if (decile == lastDecile) return;
            lastDecile = decile;
            Console.WriteLine($"{label} {done}/{total} ({fraction:P0}) {detail} {eta}");
            return;
        }
        int width = 30, filled = (int)(fraction * width);
        Console.Write($"\r{label} [{new string('#', filled)}{new string('.', width - filled)}] {done}/{total} {detail} {eta}   ");
        if (done >= total) Console.WriteLine();
    }
}
