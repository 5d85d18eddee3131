using Proxies.Runtime;

namespace Proxies.Tests;

/// <summary>Base of tests that use libtorch: loads it the workbook's way, single-threaded and deterministic.</summary>
public abstract class TorchTest
{
    protected TorchTest() => TorchRuntime.Start(threads: 1);
}
