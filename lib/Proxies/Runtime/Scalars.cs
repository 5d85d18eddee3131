using static TorchSharp.torch;

namespace Proxies.Runtime;

/// <summary>
/// Named scalars of one step, still on the device: each probe adds its values under the names it computes them
/// by (nanodo's metrics as data), and <see cref="Read"/> brings them all to the host in one transfer, names
/// attached. No list of names is kept in step with a list of values anywhere else.
/// </summary>
public sealed class Scalars
{
    readonly List<string> names = new();
    readonly List<Tensor> values = new();

    public IReadOnlyList<string> Names => names;

    /// <summary>Adds a 0-d (or one-element) tensor under <paramref name="name"/>, which must be new in this set.</summary>
    public Scalars Add(string name, Tensor value)
    {
        if (names.Contains(name)) throw new ArgumentException($"scalar '{name}' is added twice", nameof(name));
        names.Add(name);
        values.Add(value.detach().to(float64).reshape(1));
        return this;
    }

    public Scalars Add(Scalars other)
    {
        for (int i = 0; i < other.names.Count; i++) Add(other.names[i], other.values[i]);
        return this;
    }

    /// <summary>Every value, by name, in the order added: one device-to-host transfer.</summary>
    public Dictionary<string, double> Read()
    {
        var host = names.Count == 0 ? Array.Empty<double>() : cat(values).cpu().data<double>().ToArray();
        var result = new Dictionary<string, double>(names.Count);
        for (int i = 0; i < names.Count; i++) result[names[i]] = host[i];
        return result;
    }
}
