using Proxies.Results;
using Proxies.Training;

namespace Proxies.Figures;

/// <summary>One probe of one run over training, read from its curve file, as a plottable series.</summary>
public static class CurveSeries
{
    /// <param name="positiveOnly">keep only values above zero (for log axes, where plotly drops the rest silently).</param>
    public static Series From(ResultsStore store, RunResult run, string column, string name, string colour,
        LineDash dash = LineDash.Solid, bool positiveOnly = false)
    {
        var keep = CurveFile.Read(store.CurvePath(run.RunId)).FinitePoints(column).Where(p => !positiveOnly || p.Value > 0).ToList();
        return new Series(name, keep.Select(p => p.Step).ToList(), keep.Select(p => p.Value).ToList(), colour, dash);
    }
}
