using Proxies.Model;

namespace Proxies.Optimization;

/// <summary>
/// Splits a model's parameters into groups and gives each its LR multiplier. Under μParam (simple,
/// intermediate, full) every linear layer's LR is multiplied by base_fan_in / fan_in; the base model has the
/// same layer shapes at width <see cref="ModelConfig.MuParamBaseWidth"/>, so the ratio is base_width / width
/// for every linear layer (w2 included, whose fan-in is 4d). Embeddings and LayerNorm gains keep the base LR.
/// </summary>
public static class MuParamGroups
{
    public static IReadOnlyList<ParameterGroup> Build(Transformer model)
    {
        var c = model.Config;
        return model.Parameters().Select(p =>
        {
            long fanIn = p.Parameter.dim() == 2 ? p.Parameter.shape[1] : 1;
            return new ParameterGroup(p.Name, p.Parameter, p.Kind, fanIn, LrMultiplier(c, p.Kind), p.Stacked);
        }).ToList();
    }

    public static double LrMultiplier(ModelConfig c, ParameterKind kind)
    {
        if (c.MuParam == MuParam.Off) return 1;
        double widthRatio = (double)c.MuParamBaseWidth / c.Width;
        return kind switch
        {
            ParameterKind.Linear => widthRatio,
            ParameterKind.Head => c.MuParamScaleHead ? widthRatio : 1,
            _ => 1,
        };
    }
}
