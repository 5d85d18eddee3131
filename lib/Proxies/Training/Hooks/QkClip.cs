using Proxies.Runtime;
using static TorchSharp.torch;

namespace Proxies.Training.Hooks;

/// <summary>
/// QK-Clip, the clip of Kimi K2's MuonClip: after each optimizer step, every head h whose max attention logit S_max on
/// the step's batch (measured in that step's forward pass) is above τ has its rows of W_q and of W_k scaled by
/// √(τ / S_max) each, so that the same queries and keys would give that head a max logit of exactly τ. Heads at or below τ
/// are left alone. The edit is to the weights, not the logits: the softmax sees every logit as it is, and only heads that
/// grow past τ are pulled back. Without qk-layernorm only (the LayerNorm would undo the scaling; the config refuses it).
/// Probed as qk_clip_heads: the heads clipped at the step.
/// </summary>
public sealed class QkClip(double tau) : ITrainingHook
{
    public static QkClip? For(TrainConfig config) => config.QkClip > 0 ? new QkClip(config.QkClip) : null;

    public const string ClippedName = "qk_clip_heads";

    int clipped;

    public bool ReadsForward => true;

    public void AfterUpdate(StepContext step) => clipped = Clip(step.State.Model, step.Forward!.HeadMaxLogits());

    /// <summary>Scales W_q and W_k of each head whose S_max in <paramref name="headMaxLogits"/> (L, H) is above τ; returns
    /// how many heads it scaled (one host read of the L × H maxima).</summary>
    public int Clip(Model.Transformer model, Tensor headMaxLogits)
    {
        var maxima = headMaxLogits.to(ScalarType.Float64).cpu().data<double>().ToArray();
        int heads = (int)headMaxLogits.shape[1], count = 0;
        for (int i = 0; i < maxima.Length; i++)
        {
            if (!(maxima[i] > tau)) continue;   // NaN: a diverged step, recorded as such; nothing to scale by
            model.Blocks[i / heads].ScaleQueryKey(i % heads, Math.Sqrt(tau / maxima[i]));
            count++;
        }
        return count;
    }

    public void Probe(StepContext step, Scalars scalars) => scalars.Add(ClippedName, tensor((double)clipped).to(step.State.Device));
}
