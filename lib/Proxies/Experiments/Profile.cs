namespace Proxies.Experiments;

/// <summary>How big a sweep is: smoke (a minute or two on 2 CPU cores, what CI runs), quick (a readable result in
/// at most ~30 minutes on 2 cores), paper (the paper's recipe, for a GPU).</summary>
public enum Profile { Smoke, Quick, Paper }

public static class Profiles
{
    public static Profile Parse(string word) => word switch
    {
        "smoke" => Profile.Smoke,
        "quick" => Profile.Quick,
        "paper" => Profile.Paper,
        _ => throw new ArgumentException("must be one of smoke, quick, paper"),
    };

    public static string Name(this Profile p) => p.ToString().ToLowerInvariant();
}
