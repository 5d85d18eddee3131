using System.Runtime.InteropServices;

namespace Proxies.Cli;

/// <summary>Ctrl-C and SIGTERM cancel the work in hand instead of killing the process, so finished results are
/// kept, the manifest says "interrupted", and the user is told how to resume.</summary>
public static class Interrupts
{
    public static CancellationTokenSource CancelOnSignal(string message)
    {
        var cts = new CancellationTokenSource();
        void Handle(PosixSignalContext context)
        {
            context.Cancel = true;
            if (cts.IsCancellationRequested) return;
            Console.Error.WriteLine();
            Console.Error.WriteLine(message);
            cts.Cancel();
        }
        var registrations = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(s => PosixSignalRegistration.Create(s, Handle)).ToList();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => registrations.ForEach(r => r.Dispose());
        return cts;
    }
}
