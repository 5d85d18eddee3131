using Proxies.Probes;
using Proxies.Runtime;
using static TorchSharp.torch;

namespace Proxies.Tests.Probes;

public class ScalarsTests : TorchTest
{
    [Fact]
    public void ValuesComeBackUnderTheNamesTheyWereAddedWithInOneRead()
    {
        var inner = new Scalars().Add("b", tensor(2.5f)).Add("c", tensor(new[] { -1.0 }));
        var values = new Scalars().Add("a", tensor(1, dtype: ScalarType.Int64)).Add(inner).Read();
        Assert.Equal(new[] { "a", "b", "c" }, values.Keys);
        Assert.Equal(new[] { 1.0, 2.5, -1.0 }, values.Values);
    }

    [Fact]
    public void ANameAddedTwiceIsRefused() =>
        Assert.Throws<ArgumentException>(() => new Scalars().Add("a", tensor(1f)).Add(new Scalars().Add("a", tensor(2f))));
}
