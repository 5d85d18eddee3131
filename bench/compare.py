#!/usr/bin/python3
"""Proxies (TorchSharp) against PyTorch on the same model, same configs and threads, in one sitting.

    /usr/bin/python3 bench/compare.py [--configs d64,d128,d256] [--threads N] [--steps N] [--warmup N]
                                      [--proxies-variant LABEL=ARGS ...] [--mirror on|off] [--matmul fp32|bf16] [--json]

Three columns per config:
  Proxies   the `bench` verb (dotnet run --project lib/Proxies.Cli -c Release -- bench --json ...), once per
            --proxies-variant (default: one run with no extra switches), with --memory-steps 0 --sweep off;
  peer      bench/peer_step.py, the model as a PyTorch user writes it (standard modules, torch.optim.AdamW with
            foreach, scaled_dot_product_attention where the version has it), run in each of the environments that
            move PyTorch's speed here (OMP_WAIT_POLICY PASSIVE or OpenMP's default; OPENBLAS_CORETYPE and
            OPENBLAS_L2_SIZE as inherited or unset; then the fastest of those with OPENBLAS_THREAD_TIMEOUT=4, as
            the workbook runs OpenBLAS), keeping per config its best, with the settings that gave it;
  mirror    bench/pytorch_step.py, the workbook's exact step mirrored file by file (AdamW written out, probes as the
            workbook reads them), run once in the peer's best environment; --mirror off skips it.
It prints ms/step, tokens/s, MFU and step/GEMMs of each, and tokens/s(Proxies) / tokens/s(peer), and (mirror).
MFU is each run's GFLOP/s over the GEMM peak of its matmul dtype, measured in that same run. It installs nothing.

A ratio is only printed against a fair peer: the peer's own GEMM peak must be at least 70% of the peak Proxies
measured in the same sitting. Debian's PyTorch multiplies with the system OpenBLAS, which runs a generic kernel
about four times slower on a CPU it does not recognise; when the peer falls short and runs OpenBLAS, it is run once
more with OPENBLAS_CORETYPE set for this CPU, and if it still falls short the ratio is withheld.

Exit codes: 0 all ran; 1 one of them failed (what there is is still printed); 2 dotnet or torch missing;
3 the peer's GEMM peak stayed below 70% of Proxies' (tables printed, ratio withheld).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEER_STEP = os.path.join(ROOT, "bench", "peer_step.py")
MIRROR_STEP = os.path.join(ROOT, "bench", "pytorch_step.py")
# The peer's environments: each a dict of variables to set (a value) or to remove (None) from the caller's.
OPENBLAS_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
# How long OpenBLAS's idle threads spin before they sleep; the workbook sets 4 for its own processes (sitting 9 of
# docs/performance.md), so the peer is tried with it too.
THREAD_TIMEOUT = "OPENBLAS_THREAD_TIMEOUT"
INSTALL_TORCH = "apt-get install -y python3-torch libopenblas0-pthread   (Debian 12; then use /usr/bin/python3)"
FAIR_SHARE = 0.7   # the peer's GEMM peak, as a share of Proxies' in the same sitting, below which no ratio is printed


def parse_args(argv):
    p = argparse.ArgumentParser(description="Compare Proxies (TorchSharp) and PyTorch training-step speed.")
    p.add_argument("--configs", default="d64,d128,d256", help="comma-separated: d64,d128,d256 (default: all)")
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                   help="intra-op threads for both (default: all cores, %d here)" % (os.cpu_count() or 1))
    p.add_argument("--steps", type=int, default=None, help="timed steps of the PyTorch runs (their default if not given)")
    p.add_argument("--warmup", type=int, default=None, help="warm-up steps of the PyTorch runs")
    p.add_argument("--proxies-variant", action="append", default=[], metavar="LABEL=ARGS",
                   help="one Proxies column: a label and the bench switches it adds, e.g. "
                        "'libtorch-kernels=--fused off' (repeatable; default: one column 'default=')")
    p.add_argument("--mirror", choices=("on", "off"), default="on",
                   help="also run bench/pytorch_step.py, the workbook's step mirrored file by file (default on)")
    p.add_argument("--python", default="/usr/bin/python3",
                   help="interpreter with torch for pytorch_step.py (default /usr/bin/python3)")
    p.add_argument("--dotnet", default=None, help="dotnet executable (default: dotnet on PATH, then ~/.dotnet/dotnet)")
    p.add_argument("--proxies-arg", action="append", default=[], metavar="ARG",
                   help="extra argument for the Proxies bench verb (repeatable), e.g. --proxies-arg=--steps=20")
    p.add_argument("--proxies-json", metavar="FILE",
                   help="read the (one) Proxies result from this file instead of running dotnet")
    p.add_argument("--peer-json", metavar="FILE", help="read the peer's result from this file instead of running it")
    p.add_argument("--mirror-json", metavar="FILE", help="read the mirror's result from this file instead of running it")
    p.add_argument("--timeout", type=float, default=None, help="seconds allowed to each command (default: none)")
    p.add_argument("--matmul", choices=("fp32", "bf16"), default="fp32",
                   help="dtype of the linear layers' products, passed to both frameworks (default fp32)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    a = p.parse_args(argv)
    if a.threads < 1:
        p.error("--threads must be at least 1")
    a.configs = ",".join(c.strip() for c in a.configs.split(",") if c.strip())
    a.variants = []
    for v in a.proxies_variant or ["default="]:
        if "=" not in v:
            p.error("--proxies-variant %s: write LABEL=ARGS, e.g. libtorch-kernels=--fused off" % v)
        label, extra = v.split("=", 1)
        a.variants.append((label.strip() or "default", extra.split()))
    if a.proxies_json and len(a.variants) > 1:
        p.error("--proxies-json reads one Proxies result: give at most one --proxies-variant")
    return a


def coretype_for_this_cpu():
    """OPENBLAS_CORETYPE naming this CPU's best OpenBLAS kernel family, from /proc/cpuinfo (None if unknown)."""
    try:
        with open("/proc/cpuinfo") as f:
            info = f.read()
    except OSError:
        return None
    line = re.search(r"^flags\s*:(.*)$", info, re.M)
    flags = set(line.group(1).split()) if line else set()
    amd = "AuthenticAMD" in info
    if "avx512_bf16" in flags:
        return "Cooperlake"
    if "avx512f" in flags:
        return "SkylakeX"
    if "avx2" in flags:
        return "Zen" if amd else "Haswell"
    return None


def fairness(proxies, pytorch):
    """None when the peer's GEMM peak is at least FAIR_SHARE of Proxies' (or a peak is missing), else why not."""
    own, peer = (r and r.get("gemm_gflops") for r in (proxies, pytorch))
    if not own or not peer or peer >= FAIR_SHARE * own:
        return None
    library = (pytorch.get("blas") or {})
    return ("the peer's GEMM peak %.1f GFLOP/s is %.0f%% of the %.1f Proxies measured (BLAS: %s%s, OPENBLAS_CORETYPE=%s): "
            "its products run crippled, so a speed ratio would flatter Proxies" % (
                peer, 100 * peer / own, own, ", ".join(library.get("libraries") or ["?"]),
                " kernel " + library["openblas_core"] if library.get("openblas_core") else "",
                library.get("openblas_coretype_env") or "unset"))


def note(msg):
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


def find_dotnet(explicit):
    if explicit:
        return explicit if (os.path.isfile(explicit) or shutil.which(explicit)) else None
    found = shutil.which("dotnet")
    if found:
        return found
    home = os.path.expanduser("~/.dotnet/dotnet")
    return home if os.path.isfile(home) else None


def has_torch(python):
    if not (os.path.isfile(python) or shutil.which(python)):
        return False
    try:
        return subprocess.run([python, "-c", "import torch"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=120).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def extract_json(stdout):
    """The benchmark's JSON object: the last stdout line that parses as an object with "configs"
    (dotnet run may print build messages before it), else the widest {...} span."""
    for line in reversed(stdout.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict) and "configs" in obj:
                return obj
    start, end = stdout.find("{"), stdout.rfind("}")
    if 0 <= start < end:
        try:
            obj = json.loads(stdout[start:end + 1])
            if isinstance(obj, dict) and "configs" in obj:
                return obj
        except ValueError:
            pass
    return None


def run_json(label, cmd, timeout, env_changes=None):
    """Runs cmd from the repository root with the caller's environment changed by env_changes (a value sets a variable,
    None removes it); OMP_WAIT_POLICY defaults to PASSIVE, as for the workbook's own processes. Returns (result dict or
    None, error text or None, seconds)."""
    env = dict(os.environ)
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    for var, value in (env_changes or {}).items():
        if value is None:
            env.pop(var, None)
        else:
            env[var] = value
    note("[%s] %s%s" % (label, describe_env(env_changes), " ".join(cmd)))
    start = time.time()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        err = e.stderr if isinstance(e.stderr, str) else (e.stderr or b"").decode("utf-8", "replace")
        return None, "timed out after %.0f s\n%s" % (timeout, err), time.time() - start
    except OSError as e:
        return None, "could not start: %s" % e, time.time() - start
    seconds = time.time() - start
    result = extract_json(proc.stdout) if proc.returncode == 0 else None
    if result is not None:
        result["environment"] = dict(result.get("environment") or {},
                                     **{var: env.get(var) for var in ("OMP_WAIT_POLICY",) + OPENBLAS_VARIABLES + (THREAD_TIMEOUT,)})
        return result, None, seconds
    why = "exit code %d" % proc.returncode if proc.returncode != 0 else "no JSON result on stdout"
    tail = proc.stdout[-4000:].strip()
    err = proc.stderr[-8000:].strip()
    text = why
    if err:
        text += "\n--- stderr ---\n" + err
    if tail:
        text += "\n--- stdout (tail) ---\n" + tail
    return None, text, seconds


def describe_env(changes):
    return "".join("%s=%s " % (k, v) if v is not None else "-u %s " % k for k, v in (changes or {}).items())


def show_env(env):
    """An environment as the tables print it: OMP_WAIT_POLICY and the OpenBLAS variables, unset ones named as such."""
    return ", ".join("%s=%s" % (k, v if v is not None else "unset") for k, v in (env or {}).items())


def load_json(path):
    try:
        with open(path) as f:
            obj = json.load(f)
        if not isinstance(obj, dict) or "configs" not in obj:
            return None, "%s: not a benchmark result (no \"configs\")" % path
        return obj, None
    except (OSError, ValueError) as e:
        return None, "%s: %s" % (path, e)


def by_name(result):
    return {c["name"]: c for c in (result or {}).get("configs", [])}


def ratio(a, b):
    try:
        return a / b if a and b else None
    except TypeError:
        return None


def fmt(x, spec, missing="-"):
    return missing if x is None else format(x, spec)


def peer_environments():
    """The environments the peer is tried in: OpenMP's wait policy passive or its default (spinning), and the
    OpenBLAS variables as inherited or unset (only when the caller has any set)."""
    waits = [{"OMP_WAIT_POLICY": "PASSIVE"}, {"OMP_WAIT_POLICY": None}]
    blas = [{}]
    if any(os.environ.get(v) for v in OPENBLAS_VARIABLES):
        blas.append({v: None for v in OPENBLAS_VARIABLES})
    return [dict(w, **b) for b in blas for w in waits]


def best_of(trials):
    """Per config, the fastest of the peer's runs, each row carrying the environment it ran in; the result's GEMM peak
    and BLAS are those of the run that was fastest over all configs."""
    ok = [t for t in trials if t]
    if not ok:
        return None
    overall = min(ok, key=lambda t: sum(c["ms_per_step"] for c in t["configs"]))
    rows = []
    for c in overall["configs"]:
        runs = [(by_name(t)[c["name"]], t) for t in ok if c["name"] in by_name(t)]
        row, t = min(runs, key=lambda rt: rt[0]["ms_per_step"])
        rows.append(dict(row, environment=t["environment"], mfu=row["gflops"] / t["gemm_gflops"]))
    return dict(overall, configs=rows, trials=[{"environment": t["environment"], "gemm_gflops": t["gemm_gflops"],
                                                 "ms_per_step": {c["name"]: c["ms_per_step"] for c in t["configs"]}}
                                                for t in ok])


def print_tables(columns, threads, withheld):
    """columns: (label, result) pairs, Proxies' variants first, then the peer and the mirror."""
    def head(label, r):
        if r is None:
            return "%-24s (no result)" % label
        core = (r.get("blas") or {}).get("openblas_core") or r.get("openblas_core")
        return "%-24s %s %s, %s thread(s), %s matmuls, GEMM peak %.1f GFLOP/s%s; %s" % (
            label, r.get("framework", "?"), r.get("version", "?"), r.get("threads", "?"), r.get("matmul", "fp32"),
            r.get("gemm_gflops", float("nan")), " (OpenBLAS kernel %s)" % core if core else "",
            show_env(r.get("environment")))

    for label, r in columns:
        print(head(label, r))
    rows = {label: by_name(r) for label, r in columns}
    names = list(dict.fromkeys(n for r in rows.values() for n in r))
    for name in names:
        shape = next(r[name] for r in rows.values() if name in r)
        print()
        print("%s: width %s, depth %s, heads %s, seq %s, batch %s, %d thread(s)" % (
            name, shape.get("width"), shape.get("depth"), shape.get("heads"), shape.get("seq_len"),
            shape.get("batch_size"), threads))
        print("  %-24s %10s %11s %7s %9s %10s" % ("", "ms/step", "tokens/s", "MFU", "GFLOP/s", "step/GEMMs"))
        # The ratios are against the peer; without one (a bf16 comparison), against the mirror.
        against = "peer" if rows.get("peer") else "mirror"
        peer = rows.get(against, {}).get(name)
        for label, _ in columns:
            r = rows[label].get(name)
            if r is None:
                print("  %-24s %10s" % (label, "(missing)"))
                continue
            mfu = r.get("mfu")
            # The step over its own weight GEMMs timed alone at the model's shapes (step_gemm_ms: bench's, and the
            # PyTorch scripts' from bench/common.py, fp32 only).
            gemms = ratio(r.get("ms_per_step"), r.get("step_gemm_ms"))
            print("  %-24s %10s %11s %7s %9s %10s" % (
                label, fmt(r.get("ms_per_step"), ".1f"), fmt(r.get("tokens_per_s"), ",.0f"),
                fmt(None if mfu is None else 100 * mfu, ".1f") + ("%" if mfu is not None else ""),
                fmt(r.get("gflops"), ".2f"), fmt(gemms, ".2f") + "x" if gemms is not None else "-"))
        if against == "peer" and peer and peer.get("environment"):
            print("  the peer's best environment here: %s" % show_env(peer["environment"]))
        for label in (label for label, _ in columns if label not in ("peer", against)):
            r = rows[label].get(name)
            rt = ratio(r and r.get("tokens_per_s"), peer and peer.get("tokens_per_s"))
            print("  tokens/s %s / %s: %s" % (label, against, "withheld (an unfair peer)" if withheld else
                                            fmt(rt, ".2f") + "x" if rt is not None else "-"))
    if withheld:
        print("\nNo ratio: " + withheld)


def main():
    args = parse_args(sys.argv[1:])

    missing = []
    dotnet = None
    if args.proxies_json is None:
        dotnet = find_dotnet(args.dotnet)
        if dotnet is None:
            missing.append("dotnet (the .NET SDK that builds lib/Proxies.Cli; see environment.md)")
    needs_torch = args.peer_json is None or (args.mirror == "on" and args.mirror_json is None)
    if needs_torch and not has_torch(args.python):
        missing.append("PyTorch for %s: %s" % (args.python, INSTALL_TORCH))
    if missing:
        note("compare.py needs:\n  " + "\n  ".join(missing))
        return 2

    errors, seconds, columns = {}, {}, []
    for label, extra in args.variants:
        key = "Proxies" if len(args.variants) == 1 and label == "default" else "Proxies " + label
        if args.proxies_json:
            result, err = load_json(args.proxies_json)
        else:
            cmd = [dotnet, "run", "--project", "lib/Proxies.Cli", "-c", "Release", "--",
                   "bench", "--json", "--configs", args.configs, "--threads", str(args.threads),
                   "--matmul", args.matmul, "--memory-steps", "0", "--sweep", "off"] + extra + args.proxies_arg
            # Proxies in the same environment as the peer's best guess: OpenBLAS (when a variant asks for it) picks its
            # own kernel, so an inherited OPENBLAS_CORETYPE is removed.
            result, err, seconds[key] = run_json(key, cmd, args.timeout, {v: None for v in OPENBLAS_VARIABLES})
        if err:
            errors[key] = err
            note("[%s] FAILED: %s" % (key, err))
        columns.append((key, result))
    proxies = columns[0][1]

    step_args = ["--json", "--configs", args.configs, "--threads", str(args.threads)]
    step_args += ["--steps", str(args.steps)] if args.steps is not None else []
    step_args += ["--warmup", str(args.warmup)] if args.warmup is not None else []
    if args.peer_json:
        peer, err = load_json(args.peer_json)
    elif args.matmul != "fp32":
        note("[peer] skipped: the peer runs fp32 only; --matmul %s is compared with the mirror" % args.matmul)
        peer, err = None, None
    else:
        trials, err = [], None
        for env in peer_environments():
            result, trial_err, seconds["peer " + describe_env(env).strip()] = run_json(
                "peer", [args.python, PEER_STEP] + step_args, args.timeout, env)
            trials.append(result)
            err = err or trial_err
        peer = best_of(trials)
        if peer and not os.environ.get(THREAD_TIMEOUT) and (peer.get("blas") or {}).get("openblas_core"):
            # The fastest environment once more with OpenBLAS's threads sleeping at once, as the workbook runs them.
            # best_of keeps the environment of the run fastest over all configs
            env = {k: v for k, v in peer["environment"].items() if k != THREAD_TIMEOUT}
            env[THREAD_TIMEOUT] = "4"
            result, _, seconds["peer " + describe_env(env).strip()] = run_json(
                "peer", [args.python, PEER_STEP] + step_args, args.timeout, env)
            trials.append(result)
            peer = best_of(trials)
        coretype = coretype_for_this_cpu()
        # A peer whose OpenBLAS runs a generic kernel gets one more try with this CPU's kernel named.
        if peer and fairness(proxies, peer) and coretype and (peer.get("blas") or {}).get("openblas_core"):
            note("[peer] %s; once more with OPENBLAS_CORETYPE=%s" % (fairness(proxies, peer), coretype))
            retry, _, _ = run_json("peer", [args.python, PEER_STEP] + step_args, args.timeout,
                                   {"OMP_WAIT_POLICY": "PASSIVE", "OPENBLAS_CORETYPE": coretype})
            peer = best_of(trials + [retry])
        if peer:
            err = None   # one environment that ran is enough
    if err:
        errors["peer"] = err
        note("[peer] FAILED: " + err)
    columns.append(("peer", peer))

    if args.mirror == "on":
        if args.mirror_json:
            mirror, err = load_json(args.mirror_json)
        else:
            # In the environment of the peer's fastest run, so that the two PyTorch columns differ by their code only.
            env = {k: v for k, v in ((peer or {}).get("environment") or {}).items()}
            mirror, err, seconds["mirror"] = run_json("mirror", [args.python, MIRROR_STEP, "--matmul", args.matmul] + step_args,
                                                      args.timeout, env)
        if err:
            errors["mirror"] = err
            note("[mirror] FAILED: " + err)
        columns.append(("mirror", mirror))

    for label, result in columns:
        if result and result.get("matmul", "fp32") != args.matmul:
            note("warning: the %s result was measured with %s matmuls, not --matmul %s: the ratio compares "
                 "different precisions" % (label, result.get("matmul", "fp32"), args.matmul))

    withheld = None if "peer" in errors or proxies is None else fairness(proxies, peer)
    rows = []
    for name in dict.fromkeys(n for _, r in columns for n in by_name(r)):
        pick = lambda r: None if r is None else {k: r.get(k) for k in ("ms_per_step", "tokens_per_s", "gflops", "mfu",
                                                                        "probe_overhead", "step_gemm_ms", "environment")}
        entry = {"name": name}
        for label, r in columns:
            entry[label] = pick(by_name(r).get(name))
        peer_row = by_name(peer).get(name)
        entry["tokens_per_s_vs_peer"] = None if withheld else {
            label: ratio(by_name(r).get(name, {}).get("tokens_per_s"), peer_row and peer_row.get("tokens_per_s"))
            for label, r in columns if label != "peer"}
        rows.append(entry)

    if args.json:
        print(json.dumps({"threads": args.threads, "configs": rows, "results": dict(columns),
                          "errors": errors or None, "seconds": seconds, "ratio_withheld": withheld}))
    else:
        print_tables(columns, args.threads, withheld)
        for label in errors:
            print("\n%s run failed (details on stderr above)." % label)
    return 1 if errors else 3 if withheld else 0


if __name__ == "__main__":
    sys.exit(main())
