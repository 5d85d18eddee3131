using Proxies.Losses;
using Proxies.Model;
using static TorchSharp.torch;

namespace Proxies.Tests.Model;

/// <summary>bf16 autocast of the linear layers (<see cref="MatmulPrecision.Bf16"/>) against float64.</summary>
public class MatmulPrecisionTests : TorchTest
{
    /// <summary>float → bfloat16 → float, round to nearest even, written out on the bits.</summary>
    static double RoundToBf16(double x)
    {
        uint bits = BitConverter.SingleToUInt32Bits((float)x);
        bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000;
        return BitConverter.UInt32BitsToSingle(bits);
    }

    [Fact]
    public void Bf16LinearIsTheFloat64ProductOfRoundedInputsRoundedOnce()
    {
        manual_seed(3);
        var x = randn(6, 40); var w = randn(5, 40);
        var y = Transformer.Linear(x, w, MatmulPrecision.Bf16);
        Assert.Equal(ScalarType.BFloat16, y.dtype);
        var got = y.to(float32).data<float>().ToArray();
        var fp32 = Transformer.Linear(x, w, MatmulPrecision.Fp32).data<float>().ToArray();
        var xs = x.data<float>().ToArray(); var ws = w.data<float>().ToArray();
        int differsFromFp32 = 0;
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 5; j++)
            {
                double exact = 0;   // products of bf16 values are exact in float64, and so is their sum here
                for (int k = 0; k < 40; k++) exact += RoundToBf16(xs[i * 40 + k]) * RoundToBf16(ws[j * 40 + k]);
                double expected = RoundToBf16(exact);
                // One bf16 rounding of a sum the kernel accumulates in fp32: equal, or one bf16 step (2⁻⁷ relative) off
                // where fp32 accumulation lands the sum on the other side of a rounding boundary.
                Assert.True(Math.Abs(got[i * 5 + j] - expected) <= Math.Abs(expected) * Math.Pow(2, -7) + 1e-30,
                    $"({i},{j}): {got[i * 5 + j]} vs float64 {expected}");
                if (got[i * 5 + j] != fp32[i * 5 + j]) differsFromFp32++;
            }
        Assert.True(differsFromFp32 > 15, $"only {differsFromFp32} of 30 products differ from fp32: bf16 was not used");
    }

    [Fact]
    public void Bf16ModelGivesBf16ValuedFp32LogitsCloseToFp32AndFiniteGradients()
    {
        var config = new ModelConfig { Width = 32, Depth = 2, Heads = 2, SeqLen = 16 };
        using var g1 = new Generator(1);
        using var fp32 = new Transformer(config, generator: g1);
        using var g2 = new Generator(1);
        using var bf16 = new Transformer(config with { Matmul = MatmulPrecision.Bf16 }, generator: g2);
        var tokens = randint(0, 256, new long[] { 4, 16 }, generator: new Generator(2));
        var targets = randint(0, 256, new long[] { 4, 16 }, generator: new Generator(4));

        var logits = bf16.Forward(tokens);
        Assert.Equal(ScalarType.Float32, logits.dtype);
        Assert.Equal(logits.data<float>().ToArray(), logits.to(ScalarType.BFloat16).to(float32).data<float>().ToArray());

        var loss32 = LanguageModelLoss.Compute(fp32.Forward(tokens), targets).CrossEntropy.item<float>();
        var loss = LanguageModelLoss.Compute(logits, targets);
        Assert.InRange(Math.Abs(loss.CrossEntropy.item<float>() - loss32), 1e-6, 0.02);   // close, yet not identical
        loss.CrossEntropy.backward();
        foreach (var p in bf16.parameters())
        {
            Assert.Equal(ScalarType.Float32, p.dtype);   // master weights stay fp32
            Assert.True(isfinite(p.grad!).all().item<bool>());
        }
    }

    [Fact]
    public void Bf16RoundsTheInputsBeforeMultiplying()
    {
        // x·w = (1 + 2⁻¹⁰) − 1: fp32 keeps 2⁻¹⁰, but 1 + 2⁻¹⁰ rounds to 1 in bfloat16 (8 significant bits), so the
        // bf16 product is exactly 0.
        var x = tensor(new[] { 1f + MathF.Pow(2, -10), -1f }).reshape(1, 2);
        var w = tensor(new[] { 1f, 1f }).reshape(1, 2);
        Assert.Equal(MathF.Pow(2, -10), Transformer.Linear(x, w, MatmulPrecision.Fp32).item<float>());
        Assert.Equal(0f, Transformer.Linear(x, w, MatmulPrecision.Bf16).to(float32).item<float>());
    }
}
