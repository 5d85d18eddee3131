namespace Proxies.Experiments;

/// <summary>Every named experiment. A variant is a config diff of the paper's default run.</summary>
public static class Catalog
{
    public static readonly IReadOnlyList<Experiment> All = new[]
    {
        new Experiment("attention-logit-growth",
            "Fig 1/2: final loss and max attention logit vs LR per size, with and without qk-layernorm",
            profile => Ladder.For(profile).Grid().SelectMany(c => new[] { Variant.QkLnOn.Of(c), Variant.QkLnOff.Of(c) }).ToList()),
        new Experiment("lr-sensitivity",
            "Fig 1 (right): LR sensitivity vs size of the paper's default recipe, two seeds",
            profile => Ladder.For(profile).Grid().SelectMany(c => new[] { 0, 1 }.Select(seed =>
                Variant.Default.Of(c with { Seed = seed }))).ToList()),
        new Experiment("lr-sensitivity-trained",
            "Fig 1: final loss vs LR with and without qk-layernorm, three seeds, each size trained until its lowest LR beats a bigram model, warm-up 10% of its steps",
            TrainedSteps.Runs),
        new Experiment("warmup",
            "Fig 5: LR sensitivity vs size for three warm-up lengths at fixed total steps, three seeds",
            Interventions.Warmup),
        new Experiment("weight-decay",
            "Fig 6, E.10: independent weight decay (the paper's λ, and λ scaled to the paper's total decay) against coupled",
            Interventions.WeightDecay),
        new Experiment("muparam",
            "Fig 8, E.4, E.5: μParam simple, intermediate and full against the standard parametrisation, with and without qk-layernorm",
            Interventions.MuParam),
        new Experiment("depth-width",
            "Fig 7, E.2, E.3: scaling depth, width, and both together, three seeds",
            Interventions.DepthWidth),
        new Experiment("logit-prediction",
            "Fig 9: block 0's early max attention logit vs size per LR without qk-layernorm, fitted on small sizes and extrapolated to a held-out larger one",
            LogitPrediction.Runs),
        new Experiment("adam-epsilon",
            "Figs 11–13, E.13, C.1: gradient RMS against AdamW's ε across sizes and LRs, and ε from 1e-4 to 1e-15 at the top LR",
            AdamEpsilon.Runs),
        new Experiment("adam-instability",
            "Molybog et al. 2023: loss spikes at the top LR with a 1% warm-up, Adam's update ratio before them, and four mitigations (lower LR, smaller ε, embedding-gradient shrink, skip-and-restart) and a longer warm-up",
            AdamInstability.Runs),
        new Experiment("adam-precursors",
            "Molybog et al. 2023's precursors at spike onsets: the early-spiking run with the sign-agreement probe, and a long constant-LR run with β2 0.999 and ε 1e-12, their regime",
            AdamPrecursors.Runs),
        new Experiment("output-logit-divergence",
            "Figs 3/4 and the 2026 study: mean head row μ and output logits under Adam vs SGD, five fixes on one LR grid",
            OutputLogitLadder.Grid),
        new Experiment("stability-fixes",
            "The 2024–26 fixes on the ladder: Muon, QK-Clip, attention soft-capping and Adam-atan2 against AdamW with and without qk-layernorm, two seeds; update clipping and SPAM on notebook 10's spiking setting, four seeds",
            StabilityFixes.Runs),
    };

    public static Experiment Find(string name) =>
        All.FirstOrDefault(e => e.Name == name)
        ?? throw new ArgumentException($"unknown experiment '{name}'; known: {string.Join(", ", All.Select(e => e.Name))}");
}
