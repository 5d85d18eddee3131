using Proxies.Model;
using Proxies.Optimization;
using static TorchSharp.torch;

namespace Proxies.Tests.Model;

public class ModelConfigTests : TorchTest
{
    [Theory]
    [InlineData(64, 2, 2, true)]
    [InlineData(128, 4, 4, false)]
    [InlineData(256, 3, 8, true)]
    public void ParameterCountFormulaMatchesTheModel(int width, int depth, int heads, bool qkLn)
    {
        var c = new ModelConfig { Width = width, Depth = depth, Heads = heads, QkLayerNorm = qkLn };
        // Hand formula: 12·L·d² + L·(2d + 2·d_h if qk-LN) + d.
        long expected = 12L * depth * width * width + depth * (2L * width + (qkLn ? 2L * width / heads : 0)) + width;
        Assert.Equal(expected, c.NonEmbeddingParams);
        using var model = new Transformer(c);
        long counted = model.named_parameters().Where(p => p.name is not "embed" and not "head").Sum(p => p.parameter.numel());
        Assert.Equal(expected, counted);
    }

    [Fact]
    public void AttentionScaleIsOneOverSqrtHeadDimOrOneOverHeadDimUnderFullMuParam()
    {
        var c = new ModelConfig { Width = 256, Heads = 4 };
        Assert.Equal(1 / 8.0, c.AttentionScale, 15);
        Assert.Equal(1 / 64.0, (c with { MuParam = MuParam.Full }).AttentionScale, 15);
    }

    [Fact]
    public void MuParamMultipliesLinearLrByBaseOverWidth()
    {
        var c = new ModelConfig { Width = 1024, Heads = 8, MuParam = MuParam.Simple, MuParamBaseWidth = 256 };
        Assert.Equal(0.25, MuParamGroups.LrMultiplier(c, ParameterKind.Linear), 15);   // base_fan_in / fan_in = 256/1024
        Assert.Equal(0.25, MuParamGroups.LrMultiplier(c, ParameterKind.Head), 15);
        Assert.Equal(1.0, MuParamGroups.LrMultiplier(c with { MuParamScaleHead = false }, ParameterKind.Head), 15);
        Assert.Equal(1.0, MuParamGroups.LrMultiplier(c, ParameterKind.Embedding), 15);
        Assert.Equal(1.0, MuParamGroups.LrMultiplier(c, ParameterKind.Gain), 15);
        Assert.Equal(1.0, MuParamGroups.LrMultiplier(c with { MuParam = MuParam.Off }, ParameterKind.Linear), 15);
    }

    [Fact]
    public void GroupsNameEveryParameterWithItsKind()
    {
        using var model = new Transformer(new ModelConfig { Width = 32, Depth = 1, Heads = 2, MuParam = MuParam.Simple, MuParamBaseWidth = 16 });
        var groups = MuParamGroups.Build(model).ToDictionary(g => g.Name);
        Assert.Equal(ParameterKind.Embedding, groups["embed"].Kind);
        Assert.Equal(ParameterKind.Head, groups["head"].Kind);
        Assert.Equal(ParameterKind.Gain, groups["blocks.0.q_ln"].Kind);
        Assert.Equal(ParameterKind.Gain, groups["ln_f"].Kind);
        Assert.Equal(ParameterKind.Linear, groups["blocks.0.w2"].Kind);
        Assert.Equal(128, groups["blocks.0.w2"].FanIn);
        Assert.Equal(0.5, groups["blocks.0.w2"].LrMultiplier, 15);
        Assert.False(groups["blocks.0.ln1"].Decays);
    }
}
