namespace Proxies.Claims;

/// <summary>The sign the paper's claim predicts for a claim's statistic.</summary>
public enum Direction
{
    /// <summary>The paper says the statistic is above zero.</summary>
    Positive,
    /// <summary>The paper says the statistic is below zero.</summary>
    Negative,
}
