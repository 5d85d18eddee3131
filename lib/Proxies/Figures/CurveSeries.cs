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
        var curve = CurveFile.Read(store.CurvePath(run.RunId));
        var steps = curve.Values("step").ToList();
        var values = curve.Values(column).ToList();
        var keep = Enumerable.Range(0, steps.Count).Where(i => double.IsFinite(values[i]) && (!positiveOnly || values[i] > 0)).ToList();
        return new Series(name, keep.Select(i => steps[i]).ToList(), keep.Select(i => values[i]).ToList(), colour, dash);
    }
}
