namespace Proxies.Runtime;

/// <summary>Fields of the first CPU in /proc/cpuinfo (Linux): the model name for provenance, the vendor id for the GEMM
/// backend's choice.</summary>
public static class CpuInfo
{
    /// <summary>The value of <paramref name="name"/> (e.g. "model name", "vendor_id", "cpu family"), or "" where there is
    /// no /proc/cpuinfo or no such field (Arm, macOS, Windows).</summary>
    public static string Field(string name)
    {
        try
        {
            if (!File.Exists("/proc/cpuinfo")) return "";
            return File.ReadLines("/proc/cpuinfo").Take(40).FirstOrDefault(l => l.StartsWith(name))?.Split(':', 2)[1].Trim() ?? "";
        }
        catch (IOException) { return ""; }
    }
}
