namespace Proxies.Cli;

/// <summary>A one-line progress bar with ETA on a terminal; a line every 10% when output is redirected (logs, CI).</summary>
public sealed class ProgressBar(string label, int total)
{
    int lastDecile = -1;
    readonly DateTime start = DateTime.UtcNow;

    public void Update(int done, string detail)
    {
        double fraction = total == 0 ? 1 : Math.Min(1, (double)done / total);
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
