using System.Globalization;

namespace Proxies.Sweeps;

/// <summary>Shard i of n (0-based): the runs whose position in the grid is i mod n. Deterministic, so a Slurm
/// array or an indexed Kubernetes Job spreads one grid over n machines with no overlap and no gap.</summary>
public readonly record struct Shard(int Index, int Count)
{
    public static readonly Shard All = new(0, 1);

    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            || n < 1 || i >= n)
            throw new ArgumentException($"--shard {text}: must be i/n with 0 ≤ i < n, e.g. 0/4 (Slurm: $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT)");
        return new Shard(i, n);
    }

    public IEnumerable<T> Select<T>(IEnumerable<T> grid)
    {
        var (index, count) = (Index, Count);
        return grid.Where((_, k) => k % count == index);
    }

    public override string ToString() => $"{Index}/{Count}";
}
