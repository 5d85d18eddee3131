#!/usr/bin/python3
"""Proxies (TorchSharp) against the PyTorch reference, same configs and threads, back to back.

    /usr/bin/python3 bench/compare.py [--configs d64,d128,d256] [--threads N] [--steps N] [--warmup N]
                                      [--matmul fp32|bf16] [--json]

Runs, from the repository root,
    dotnet run --project lib/Proxies.Cli -c Release -- bench --json --configs <list> --threads <n> --matmul <m>
then
    /usr/bin/python3 bench/pytorch_step.py --json --configs <list> --threads <n> --matmul <m>
and prints one table per config: ms/step, tokens/s and MFU of both, and tokens/s(Proxies) / tokens/s(PyTorch).
MFU is each run's GFLOP/s over the GEMM peak of its matmul dtype (--matmul), measured in that same run. It installs nothing.

A ratio is only printed against a fair peer: PyTorch's own GEMM peak (the one pytorch_step.py measures) must be at
least 70% of the peak Proxies measured in the same sitting. Debian's PyTorch multiplies with the system OpenBLAS, which
runs a generic kernel about four times slower on a CPU it does not recognise; when the peer falls short and runs
OpenBLAS, the PyTorch run is repeated once with OPENBLAS_CORETYPE set for this CPU (unless it is set already), and if
the peer still falls short the ratio is withheld.

Exit codes: 0 both ran; 1 one of them failed (what there is is still printed); 2 dotnet or torch missing;
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
PYTORCH_STEP = os.path.join(ROOT, "bench", "pytorch_step.py")
INSTALL_TORCH = "apt-get install -y python3-torch libopenblas0-pthread   (Debian 12; then use /usr/bin/python3)"
FAIR_SHARE = 0.7   # the peer's GEMM peak, as a share of Proxies' in the same sitting, below which no ratio is printed


def parse_args(argv):
    p = argparse.ArgumentParser(description="Compare Proxies (TorchSharp) and PyTorch training-step speed.")
    p.add_argument("--configs", default="d64,d128,d256", help="comma-separated: d64,d128,d256 (default: all)")
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                   help="intra-op threads for both (default: all cores, %d here)" % (os.cpu_count() or 1))
    p.add_argument("--steps", type=int, default=None, help="timed steps of the PyTorch run (its default if not given)")
    p.add_argument("--warmup", type=int, default=None, help="warm-up steps of the PyTorch run")
    p.add_argument("--python", default="/usr/bin/python3",
                   help="interpreter with torch for pytorch_step.py (default /usr/bin/python3)")
    p.add_argument("--dotnet", default=None, help="dotnet executable (default: dotnet on PATH, then ~/.dotnet/dotnet)")
    p.add_argument("--proxies-arg", action="append", default=[], metavar="ARG",
                   help="extra argument for the Proxies bench verb (repeatable), e.g. --proxies-arg=--steps=20")
    p.add_argument("--proxies-json", metavar="FILE",
                   help="read the Proxies result from this file instead of running dotnet")
    p.add_argument("--pytorch-json", metavar="FILE",
                   help="read the PyTorch result from this file instead of running pytorch_step.py")
    p.add_argument("--timeout", type=float, default=None, help="seconds allowed to each command (default: none)")
    p.add_argument("--matmul", choices=("fp32", "bf16"), default="fp32",
                   help="dtype of the linear layers' products, passed to both frameworks (default fp32)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    a = p.parse_args(argv)
    if a.threads < 1:
        p.error("--threads must be at least 1")
    a.configs = ",".join(c.strip() for c in a.configs.split(",") if c.strip())
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
    return ("PyTorch's GEMM peak %.1f GFLOP/s is %.0f%% of the %.1f Proxies measured (BLAS: %s%s, OPENBLAS_CORETYPE=%s): "
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


def run_json(label, cmd, timeout, extra_env=None):
    """Runs cmd from the repository root; returns (result dict or None, error text or None, seconds)."""
    env = dict(os.environ, **(extra_env or {}))
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")   # what TorchRuntime sets for the workbook's own processes
    note("[%s] %s%s" % (label, "".join("%s=%s " % kv for kv in (extra_env or {}).items()), " ".join(cmd)))
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


def print_tables(proxies, pytorch, threads, withheld):
    def head(r, name):
        if r is None:
            return "%-8s (no result)" % name
        core = (r.get("blas") or {}).get("openblas_core")
        return "%-8s %s, %s thread(s), %s matmuls, GEMM peak of that dtype %.1f GFLOP/s%s" % (
            name, r.get("version", "?"), r.get("threads", "?"), r.get("matmul", "fp32"), r.get("gemm_gflops", float("nan")),
            " (OpenBLAS kernel %s)" % core if core else "")

    print(head(proxies, "Proxies"))
    print(head(pytorch, "PyTorch"))

    px, pt = by_name(proxies), by_name(pytorch)
    names = list(dict.fromkeys(list(px) + list(pt)))
    for name in names:
        a, b = px.get(name), pt.get(name)
        shape = a or b
        print()
        print("%s: width %s, depth %s, heads %s, seq %s, batch %s, %d thread(s)" % (
            name, shape.get("width"), shape.get("depth"), shape.get("heads"), shape.get("seq_len"),
            shape.get("batch_size"), threads))
        print("  %-8s %10s %11s %7s %9s %8s %10s" % ("", "ms/step", "tokens/s", "MFU", "GFLOP/s", "probe x", "step/GEMMs"))
        for label, r in (("Proxies", a), ("PyTorch", b)):
            if r is None:
                print("  %-8s %10s" % (label, "(missing)"))
                continue
            mfu = r.get("mfu")
            # The step over its own weight GEMMs timed alone at the model's shapes (bench's step_gemm_ms; Proxies only).
            gemms = ratio(r.get("ms_per_step"), r.get("step_gemm_ms"))
            print("  %-8s %10s %11s %7s %9s %8s %10s" % (
                label, fmt(r.get("ms_per_step"), ".1f"), fmt(r.get("tokens_per_s"), ",.0f"),
                fmt(None if mfu is None else 100 * mfu, ".1f") + ("%" if mfu is not None else ""),
                fmt(r.get("gflops"), ".2f"), fmt(r.get("probe_overhead"), ".2f"),
                fmt(gemms, ".2f") + "x" if gemms is not None else "-"))
        rt = ratio(a and a.get("tokens_per_s"), b and b.get("tokens_per_s"))
        print("  tokens/s Proxies / PyTorch: %s" % (
            "withheld (an unfair peer)" if withheld else fmt(rt, ".2f") + "x" if rt is not None else "-"))
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
    if args.pytorch_json is None and not has_torch(args.python):
        missing.append("PyTorch for %s: %s" % (args.python, INSTALL_TORCH))
    if missing:
        note("compare.py needs:\n  " + "\n  ".join(missing))
        return 2

    errors = {}
    seconds = {}
    if args.proxies_json:
        proxies, err = load_json(args.proxies_json)
    else:
        cmd = [dotnet, "run", "--project", "lib/Proxies.Cli", "-c", "Release", "--",
               "bench", "--json", "--configs", args.configs, "--threads", str(args.threads),
               "--matmul", args.matmul] + args.proxies_arg
        proxies, err, seconds["proxies"] = run_json("proxies", cmd, args.timeout)
    if err:
        errors["proxies"] = err
        note("[proxies] FAILED: " + err)

    if args.pytorch_json:
        pytorch, err = load_json(args.pytorch_json)
    else:
        cmd = [args.python, PYTORCH_STEP, "--json", "--configs", args.configs, "--threads", str(args.threads),
               "--matmul", args.matmul]
        if args.steps is not None:
            cmd += ["--steps", str(args.steps)]
        if args.warmup is not None:
            cmd += ["--warmup", str(args.warmup)]
        pytorch, err, seconds["pytorch"] = run_json("pytorch", cmd, args.timeout)
        coretype = coretype_for_this_cpu()
        # OpenBLAS multiplies fp32 here; PyTorch's bf16 products do not go through it, so only fp32 is retried.
        if (not err and args.matmul == "fp32" and fairness(proxies, pytorch) and not os.environ.get("OPENBLAS_CORETYPE")
                and coretype and (pytorch.get("blas") or {}).get("openblas_core")):
            note("[pytorch] %s; once more with OPENBLAS_CORETYPE=%s" % (fairness(proxies, pytorch), coretype))
            retry, retry_err, retry_seconds = run_json("pytorch", cmd, args.timeout, {"OPENBLAS_CORETYPE": coretype})
            # Keep the retry only if it ran and its GEMM peak is higher: a failed retry leaves the first result.
            if not retry_err and retry.get("gemm_gflops", 0) > pytorch.get("gemm_gflops", 0):
                pytorch, seconds["pytorch"] = retry, retry_seconds
            elif retry_err:
                note("[pytorch] the retry failed; keeping the first result: " + retry_err.splitlines()[0])
    if err:
        errors["pytorch"] = err
        note("[pytorch] FAILED: " + err)

    for label, result in (("proxies", proxies), ("pytorch", pytorch)):
        if result and result.get("matmul", "fp32") != args.matmul:
            note("warning: the %s result was measured with %s matmuls, not --matmul %s: the ratio compares "
                 "different precisions" % (label, result.get("matmul", "fp32"), args.matmul))

    withheld = None if errors else fairness(proxies, pytorch)
    px, pt = by_name(proxies), by_name(pytorch)
    rows = []
    for name in dict.fromkeys(list(px) + list(pt)):
        a, b = px.get(name), pt.get(name)
        pick = lambda r: None if r is None else {k: r.get(k) for k in ("ms_per_step", "tokens_per_s", "gflops", "mfu",
                                                                        "probe_overhead", "step_gemm_ms")}
        rows.append({"name": name, "proxies": pick(a), "pytorch": pick(b),
                     "tokens_per_s_ratio": None if withheld else ratio(a and a.get("tokens_per_s"), b and b.get("tokens_per_s"))})

    if args.json:
        print(json.dumps({"threads": args.threads, "configs": rows, "proxies": proxies, "pytorch": pytorch,
                          "errors": errors or None, "seconds": seconds, "ratio_withheld": withheld}))
    else:
        print_tables(proxies, pytorch, args.threads, withheld)
        for label, err in errors.items():
            print("\n%s run failed (details on stderr above)." % label)
    return 1 if errors else 3 if withheld else 0


if __name__ == "__main__":
    sys.exit(main())
