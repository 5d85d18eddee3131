using Proxies.Experiments;
using Proxies.Optimization;
using Proxies.Probes;
using Proxies.Results;
using Proxies.Training;
using Proxies.Training.Hooks;

namespace Proxies.Figures;

/// <summary>Molybog et al. 2023: loss spikes, Adam's update ratio r = m̂/(√v̂ + ε) per layer, and the mitigations.</summary>
public static class AdamInstabilityFigures
{
    /// <summary>Training loss over the run, one colour per run, each detected spike marked in its colour; and the global
    /// gradient norm before clipping.</summary>
    public static Figure LossWithSpikes(ResultsStore store, IReadOnlyList<RunResult> runs, string name, string title)
    {
        var loss = new List<Series>();
        var norms = new List<Series>();
        foreach (var (run, i) in runs.Select((r, i) => (r, i)))
        {
            string label = Label(run), colour = Palette.ColourFor(i);
            var curve = CurveFile.Read(store.CurvePath(run.RunId));
            var kept = AdamInstability.KeptLosses(curve);
            loss.Add(new Series(label, kept.Select(p => (double)p.Step).ToList(), kept.Select(p => p.Loss).ToList(), colour));
            var spikes = AdamInstability.Summarise(run, curve).Spikes.ToHashSet();
            var marked = kept.Where(p => spikes.Contains(p.Step)).ToList();
            if (marked.Count > 0)
                loss.Add(new Series($"{label}: spikes", marked.Select(p => (double)p.Step).ToList(), marked.Select(p => p.Loss).ToList(), colour, MarkersOnly: true));
            norms.Add(CurveSeries.From(store, run, GradientClipping.GradNorm, label, colour, positiveOnly: true));
        }
        return Figure.SideBySide(name, title,
            new Panel("step", "training loss", loss, Title: $"loss (markers: above {AdamInstability.SpikeFactor}× its moving average)"),
            new Panel("step", "global gradient norm before clipping", norms, LogY: true, Title: "gradient norm"));
    }

    /// <summary>The histogram of |r| over training for each followed layer, over the coordinates that have received a
    /// gradient, one heatmap per layer (rows: bins of |r|,
    /// colour: share of the layer's coordinates). Unimodal near 0 is noise-dominated Adam; mass at |r| ≈ 1 is the
    /// sign-descent state Molybog et al. find before a spike.</summary>
    public static Figure RatioHistograms(ResultsStore store, RunResult run)
    {
        var curve = CurveFile.Read(store.CurvePath(run.RunId));
        var panels = AdamInstability.FollowedGroups(run.Config.Model)
            .Select((group, i) => HistogramPanel(curve, group, b => RatioHistogram.ReceivedName(group, b), i == 0 ? "|m̂/(√v̂+ε)|" : "")).ToArray();
        return Figure.SideBySide($"adam-ratio-histogram-{Figure.ToSlug(Label(run))}", $"Histogram of Adam's |r| over training, coordinates with a gradient, {Label(run)}", panels);
    }

    /// <summary>One group's |r| histogram three ways: over all its coordinates; over those that have received a gradient
    /// (an embedding row whose byte never occurred sits at r = 0 and dilutes bin 0); and over those without ε, |m̂/√v̂|.</summary>
    public static Figure RatioHistogramFilters(ResultsStore store, RunResult run, string group)
    {
        var curve = CurveFile.Read(store.CurvePath(run.RunId));
        return Figure.SideBySide($"adam-ratio-filters-{Figure.ToSlug(group)}-{Figure.ToSlug(Label(run))}", $"|r| of {group}: every coordinate, those with a gradient, and without ε ({Label(run)})",
            HistogramPanel(curve, "every coordinate", b => RatioHistogram.Name(group, b), "|r|"),
            HistogramPanel(curve, "coordinates with a gradient", b => RatioHistogram.ReceivedName(group, b), ""),
            HistogramPanel(curve, "with a gradient, r without ε", b => RatioHistogram.WithoutEpsName(group, b), ""));
    }

    /// <summary>A heatmap panel of an |r| histogram over training: one column per probed step, one row per bin.</summary>
    static Panel HistogramPanel(Curve curve, string title, Func<int, string> bin, string yTitle)
    {
        var rows = Enumerable.Range(0, RatioHistogram.BinEdges.Length).Select(AdamInstability.BinLabel).ToList();
        var columns = Enumerable.Range(0, rows.Count).Select(b => curve.FinitePoints(bin(b)).ToList()).ToList();
        var steps = columns[0].Select(p => p.Step).ToList();
        var z = columns.Select(c => (IReadOnlyList<double>)c.Select(p => p.Value).ToList()).ToList();
        // The bin labels stand beside every panel; the axis title only beside the first, where it has room.
        return new Panel("step", yTitle, [], Title: title, Map: new Heatmap(title, steps, rows, z, "share"));
    }

    /// <summary>Per followed layer over training: the share of coordinates with a gradient whose |r| ≥ 0.9, the share of
    /// gradient signs that agree with the previous step's, the share with √v̂ &lt; ε, and the gradient norm before clipping
    /// (‖g‖ = RMS·√entries), the embedding against the rest. Needs a run probed with --ratio-histogram and
    /// --sign-agreement.</summary>
    public static Figure LayerSignals(ResultsStore store, RunResult run)
    {
        var curve = CurveFile.Read(store.CurvePath(run.RunId));
        var sizes = AdamInstability.GroupSizes(run);
        var groups = AdamInstability.FollowedGroups(run.Config.Model);
        Series Of(string group, int i, IEnumerable<(double Step, double Value)> points, bool positiveOnly = false)
        {
            var keep = points.Where(p => !positiveOnly || p.Value > 0).ToList();
            return new Series(group, keep.Select(p => p.Step).ToList(), keep.Select(p => p.Value).ToList(), Palette.ColourFor(i));
        }
        return Figure.SideBySide($"adam-layer-signals-{Figure.ToSlug(Label(run))}", $"Adam's state per layer over training, {Label(run)}",
            new Panel("step", "share of coordinates", groups.Select((g, i) => Of(g, i, AdamPrecursors.NearOne(curve, g, withoutEps: false))).ToList(), Title: "|r| ≥ 0.9 (with a gradient)"),
            new Panel("step", "share of coordinates", groups.Select((g, i) => Of(g, i, curve.FinitePoints(SignAgreement.Name(g)))).ToList(), Title: "sign agreement"),
            new Panel("step", "share of coordinates", groups.Select((g, i) => Of(g, i, curve.FinitePoints(AdamW.BelowEpsName(g)))).ToList(), Title: "√v̂ < ε"),
            new Panel("step", "gradient norm", groups.Select((g, i) => Of(g, i, AdamInstability.GradNorm(curve, g, sizes[g]), positiveOnly: true)).ToList(), LogY: true, Title: "gradient norm per layer"));
    }

    /// <summary>A run's variant and seed.</summary>
    public static string Label(RunResult run) => $"{run.Config.Variant}, seed {run.Config.Seed}";
}
