namespace Proxies.Probes;

/// <summary>
/// A loss spike (Molybog et al. 2023's detector): a step whose training loss exceeds <see cref="Factor"/> times the
/// exponential moving average of the losses before it, EMA ← β·EMA + (1 − β)·loss. A spike does not enter the average,
/// so a run of spiking steps is measured against the level before it. The first <see cref="Settle"/> steps only feed
/// the average (the loss falls fastest there).
/// </summary>
public sealed class SpikeDetector(double factor, double beta = 0.9, int settle = 20)
{
    public double Factor { get; } = factor > 1 ? factor : throw new ArgumentOutOfRangeException(nameof(factor), factor, "a spike factor must exceed 1");
    public int Settle { get; } = settle;
    double average;
    int seen;

    /// <summary>The moving average so far (NaN before the first loss).</summary>
    public double Average => seen == 0 ? double.NaN : average;

    /// <summary>Feeds one step's loss; true when it is a spike. A non-finite loss is a spike once the detector has settled.</summary>
    public bool Observe(double loss)
    {
        bool spike = seen >= Settle && !(loss <= Factor * average);
        if (!spike && double.IsFinite(loss))
        {
            average = seen == 0 ? loss : beta * average + (1 - beta) * loss;
            seen++;
        }
        return spike;
    }

    /// <summary>The steps of a recorded loss series that are spikes.</summary>
    public static IReadOnlyList<int> Spikes(IEnumerable<(int Step, double Loss)> losses, double factor, double beta = 0.9, int settle = 20)
    {
        var detector = new SpikeDetector(factor, beta, settle);
        return losses.Where(p => detector.Observe(p.Loss)).Select(p => p.Step).ToList();
    }
}
