using Proxies.Training;

namespace Proxies.Notebooks;

/// <summary>Progress of one training run in a notebook: a line every <paramref name="every"/> steps, as it happens.</summary>
public sealed class LiveLoss(int every = 10) : IProgress<TrainProgress>
{
    public void Report(TrainProgress p)
    {
        if (p.Step % every == 0 || p.Step == p.Steps - 1)
            Console.WriteLine($"step {p.Step + 1,5}/{p.Steps}  loss {p.Loss:F3}  max attention logit {p.MaxAttnLogit:G3}  ({p.ElapsedSeconds:F1} s)");
    }
}
