namespace Proxies.Claims;

/// <summary>A claim judged on data: each seed's value, their mean, the interval, what noise the interval stands for,
/// and the verdict (<see cref="Claim.Judge"/>).</summary>
public sealed record ClaimResult(Claim Claim, IReadOnlyList<(int Seed, double Value)> PerSeed, double Value, double Low, double High,
    string Noise, Verdict Verdict);
