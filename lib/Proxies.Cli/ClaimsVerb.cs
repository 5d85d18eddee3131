using Proxies.Claims;
using Proxies.Experiments;

namespace Proxies.Cli;

/// <summary>`claims`: every claim of notebooks 01–07 and 10–13 judged on a results folder; `--write` records them in claims.csv,
/// `--measure-rerun` first retrains a sample of committed runs to measure the rerun noise one-seed claims are judged against.</summary>
public static class ClaimsVerb
{
    public const string Help = """
        claims: judge every claim of notebooks 01–07 and 10–13 on a results folder (value, interval, verdict; 11's and 13's
        on their studies' tables, where the folder holds them).
          --results DIR (results/quick)   --profile smoke|quick|paper (quick)   --notebook NN (all)
          --write             record the verdicts in DIR/claims.csv (the claims test compares against it)
          --measure-rerun EXPERIMENT   retrain its committed runs at widths ≤ 64 on this machine (--threads N, 2) and
                              write DIR/rerun-noise.csv: how far the same config and seed lands when trained again
        """;

    public static int Run(string[] args)
    {
        var cl = new CommandLine(args, new HashSet<string> { "--write" });
        string root = cl.String("--results") ?? Path.Combine("results", "quick");
        var profile = SweepVerb.ReadSettings(cl, "profile").Profile;
        string? notebook = cl.String("--notebook"), rerun = cl.String("--measure-rerun");
        int threads = cl.Int("--threads", 2);
        bool write = cl.Has("--write");
        cl.RejectUnknown("claims");
        if (!Directory.Exists(root)) throw new UsageException($"claims --results {root}: no such folder");
        if (write && notebook is not null) throw new UsageException("--write records every claim: leave --notebook out");
        if (rerun is not null)
        {
            try { Catalog.Find(rerun); } catch (ArgumentException e) { throw new UsageException($"--measure-rerun: {e.Message}"); }
            var scratch = Directory.CreateTempSubdirectory("proxies-rerun-").FullName;
            try { RerunMeasurement.Measure(root, rerun, r => r.Config.Model.Width <= 64, threads, scratch, Console.WriteLine); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            finally { Directory.Delete(scratch, recursive: true); }
            Console.WriteLine($"rerun noise: {RerunNoise.Read(root)}");
        }
        var studies = ClaimBook.JudgeStudies(root, profile);
        var results = ClaimBook.Judge(root, profile, ClaimBook.All.Where(c => notebook is null || c.Notebook == notebook))
            .Concat(studies.Where(r => notebook is null || r.Claim.Notebook == notebook)).ToList();
        if (results.Count == 0)
            throw new UsageException($"--notebook {notebook}: no claims; notebooks with claims: {string.Join(", ", ClaimBook.All.Select(c => c.Notebook).Concat(studies.Select(r => r.Claim.Notebook)).Distinct())}");
        Console.WriteLine(ClaimBook.Table(results));
        foreach (var g in results.GroupBy(r => r.Verdict)) Console.WriteLine($"{g.Key.Text()}: {g.Count()}");
        if (write)
        {
            ClaimBook.Write(Path.Combine(root, ClaimBook.FileName), results);
            Console.WriteLine($"wrote {Path.Combine(root, ClaimBook.FileName)}");
        }
        return 0;
    }
}
