using System.Diagnostics;
using Proxies.Model;
using Proxies.Runtime;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Proxies.Benchmarks;

/// <summary>One op of a layer, forward and backward at a model's shapes: its best time and what it stands for.</summary>
public sealed record KernelTiming(string Op, string Shape, double Ms);

/// <summary>
/// The non-GEMM ops of one block timed alone, forward + backward, at a configuration's shapes: the experiments behind
/// the fused kernels (docs/performance.md). Each op in the forms the model can run (composed from libtorch ops, or a
/// fused kernel, which is what the model runs unless `bench --fused off`), so a kernel is kept only if it pays here,
/// measured in the same sitting.
/// </summary>
public static class KernelTimings
{
    public static List<KernelTiming> Measure(ModelConfig c, int batchSize, Device device, int repeats = 20)
    {
        TorchRuntime.Start();
        long b = batchSize, h = c.Heads, t = c.SeqLen, dh = c.HeadDim, rows = b * t, hidden = (long)c.MlpRatio * c.Width;
        string heads = $"{b}×{h}×{t}×{dh}", mlp = $"{rows}×{hidden}";
        using var rope = new Rope(c.SeqLen, c.HeadDim, c.RopeBase, device);
        using var gain = ones(c.HeadDim, device: device);
        using var learnedGain = ones(c.HeadDim, device: device).requires_grad_(true);   // as the model's, so its gradient is timed too
        // Where the fused kernels cannot run (bench --fused off, CUDA, no 256-bit vectors) their rows time the fallback.
        using var sample = empty(1, device: device);
        string fused = Model.Fused.Kernels.Take(sample) ? "fused kernel" : "fused kernel off: fallback";
        using var headSample = empty(1, 1, t, dh, device: device);
        string fusedHeads = Model.Fused.FusedQkvHeads.Take(sample.view(1, 1, 1)) ? "fused kernel" : "fused kernel cannot run: composed";
        string fusedAttention = Model.Fused.FusedCausalAttention.Take(headSample) ? "fused kernel" : "fused kernel cannot run: libtorch SDPA";
        return
        [
            new("RoPE, composed (per q or k)", heads, Ms(device, [b, h, t, dh], rope.Composed, repeats)),
            new($"RoPE, {fused} (per q or k)", heads, Ms(device, [b, h, t, dh], rope.Apply, repeats)),
            new("qk-LayerNorm (per q or k)", heads, Ms(device, [b, h, t, dh], x => F.layer_norm(x, [dh], gain, null, c.LnEps), repeats)),
            new("q, k, v from the projection (split, qk-LayerNorm, RoPE), composed", heads, Ms(device, [b, t, 3 * c.Width], qkv =>
            {
                var (q, k, v) = QkvHeads.Composed(qkv, c.Heads, learnedGain, learnedGain, c.LnEps, rope);
                return [q, k, v];
            }, repeats)),
            new($"q, k, v from the projection (split, qk-LayerNorm, RoPE), {fusedHeads}", heads, Ms(device, [b, t, 3 * c.Width], qkv =>
            {
                var (q, k, v) = QkvHeads.Apply(qkv, c.Heads, learnedGain, learnedGain, c.LnEps, rope);
                return [q, k, v];
            }, repeats)),
            new("GELU, tanh form, libtorch", mlp, Ms(device, [rows, hidden], Gelu.LibtorchTanh, repeats)),
            new($"GELU, tanh form, {fused}", mlp, Ms(device, [rows, hidden], x => Gelu.Apply(x, GeluKind.Tanh), repeats)),
            new("GELU, exact (erf), libtorch", mlp, Ms(device, [rows, hidden], x => Gelu.Apply(x, GeluKind.Exact), repeats)),
            .. new (string Name, Func<Tensor, Tensor, Tensor, double, Tensor> Attend)[] { ("libtorch SDPA", CausalAttention.Sdpa), (fusedAttention, CausalAttention.Apply) }
                .SelectMany(a => new KernelTiming[]
            {
                new($"attention, {a.Name} (q, k, v)", heads, Ms(device, [3, b, h, t, dh], qkv => a.Attend(qkv[0], qkv[1], qkv[2], c.AttentionScale), repeats)),
                new($"attention, {a.Name} on the q/k/v projection's layout", heads, Ms(device, [b, t, 3, h, dh], x =>
                {
                    var qkv = x.permute(2, 0, 3, 1, 4);
                    return a.Attend(qkv[0], qkv[1], qkv[2], c.AttentionScale);
                }, repeats)),
            }),
            new("attention, explicit softmax(qkᵀ)v", heads, Ms(device, [3, b, h, t, dh], qkv => Explicit(qkv[0], qkv[1], qkv[2]), repeats)),
        ];
    }

    static Tensor Explicit(Tensor q, Tensor k, Tensor v)
    {
        var logits = q.matmul(k.transpose(-2, -1)) / LiveScalar.Of(Math.Sqrt(q.shape[^1]));
        return Model.CausalMask.Apply(logits).softmax(-1).matmul(v);
    }

    static double Ms(Device device, long[] shape, Func<Tensor, Tensor> op, int repeats) => Ms(device, shape, x => [op(x)], repeats);

    /// <summary>Best of 3 trials of <paramref name="repeats"/> forward + backward passes, ms per pass.</summary>
    static double Ms(Device device, long[] shape, Func<Tensor, Tensor[]> op, int repeats)
    {
        using var scope = NewDisposeScope();
        var x = randn(shape, device: device).requires_grad_(true);
        var grads = op(x.detach()).Select(y => randn(y.shape, device: device)).ToArray();
        void Pass()
        {
            using var inner = NewDisposeScope();
            x.grad?.zero_();
            autograd.backward(op(x), grads);
            x.grad!.sum().item<float>();   // waits for an asynchronous device
        }
        Pass();
        double best = double.PositiveInfinity;
        for (int trial = 0; trial < 3; trial++)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < repeats; i++) Pass();
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds / repeats);
        }
        return best;
    }
}
