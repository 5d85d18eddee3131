namespace Proxies.Claims;

/// <summary>What the data says of a paper's claim, judged against the noise it must beat (<see cref="Claim.Judge"/>).</summary>
public enum Verdict
{
    /// <summary>The interval lies wholly on the paper's side of zero.</summary>
    Reproduces,
    /// <summary>The interval contains zero: this design cannot tell the effect from the noise.</summary>
    InsideTheNoise,
    /// <summary>The interval lies wholly on the other side of zero.</summary>
    Opposite,
    /// <summary>The design cannot detect the paper's effect (a regime the runs never reach, an arm with no runs); the
    /// claim says why and what would test it.</summary>
    NotTestableHere,
}

public static class VerdictText
{
    /// <summary>The verdict as the notebooks and claims.csv write it.</summary>
    public static string Text(this Verdict v) => v switch
    {
        Verdict.Reproduces => "reproduces",
        Verdict.InsideTheNoise => "inside the noise",
        Verdict.Opposite => "opposite",
        _ => "not testable here",
    };

    public static Verdict Parse(string text) =>
        Enum.GetValues<Verdict>().FirstOrDefault(v => v.Text() == text, (Verdict)(-1)) is var v && Enum.IsDefined(v)
            ? v : throw new FormatException($"unknown verdict '{text}'");
}
