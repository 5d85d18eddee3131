using Proxies.Model;
using Proxies.Optimization;

namespace Proxies.Tests.Optimization;

/// <summary>A parameter's role (for weight decay, μParam and the probes) is declared by the module that creates it.</summary>
public class ParameterRolesTests : TorchTest
{
    [Fact]
    public void EveryParameterHasTheRoleItsModuleDeclared()
    {
        using var model = new Transformer(new ModelConfig { Width = 16, Depth = 2, Heads = 2, QkLayerNorm = true });
        var groups = MuParamGroups.Build(model);
        Assert.Equal(model.parameters().Count(), groups.Count);
        var kinds = groups.GroupBy(g => g.Kind).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(1, kinds[ParameterKind.Embedding]);
        Assert.Equal(1, kinds[ParameterKind.Head]);
        Assert.Equal(2 * 4, kinds[ParameterKind.Linear]);            // wqkv, wo, w1, w2 per block
        Assert.Equal(2 * 4 + 1, kinds[ParameterKind.Gain]);          // ln1, ln2, q_ln, k_ln per block, and ln_f
        Assert.All(groups, g => Assert.Equal(g.Kind != ParameterKind.Gain, g.Decays));
        Assert.Same(model.HeadWeight, groups.Single(g => g.Kind == ParameterKind.Head).Parameter);
    }

    [Fact]
    public void EveryParameterIsDeclaredOnceUnderTheNameItsModuleGivesIt()
    {
        // The names are the per-layer curve columns of every committed run; the order is the one every committed run was
        // trained in (gradient clipping sums the groups' norms in it), libtorch's registration order when it was taken.
        using var model = new Transformer(new ModelConfig { Width = 16, Depth = 2, Heads = 2, QkLayerNorm = true });
        var declared = model.Parameters().ToList();
        string[] block = ["ln1", "ln2", "wqkv", "wo", "q_ln", "k_ln", "w1", "w2"];
        Assert.Equal(new[] { "embed", "ln_f", "head" }.Concat(block.Select(n => "blocks.0." + n)).Concat(block.Select(n => "blocks.1." + n)),
            declared.Select(d => d.Name));
        // The same tensors in libtorch's registration order, whatever the fields are called.
        Assert.Equal(model.parameters().Cast<object>(), declared.Select(d => (object)d.Parameter), ReferenceEqualityComparer.Instance);
    }

    [Fact]
    public void ATiedHeadAndAFixedFinalGainDeclareNoParameterOfTheirOwn()
    {
        using var model = new Transformer(new ModelConfig { Width = 16, Depth = 1, Heads = 2, TieHead = true, FinalLnGain = FinalLnGain.Fixed });
        var groups = MuParamGroups.Build(model);
        Assert.DoesNotContain(groups, g => g.Kind == ParameterKind.Head);
        Assert.Equal(4, groups.Count(g => g.Kind == ParameterKind.Gain));   // ln1, ln2, q_ln, k_ln
    }
}
