"""What the two PyTorch scripts share: the configs, the FLOP count, the GEMM ceiling, which BLAS runs, the byte stream,
the thread set-up and the JSON row. torch is imported by the caller after `threads_before_torch`, since thread pools read
their sizes when the library loads."""

import ctypes
import os
import re

CONFIGS = {
    # name: (width, depth, heads, seq_len, batch_size); head dim 32 everywhere, as StepBenchmark.Standard
    "d64": (64, 2, 2, 64, 32),
    "d128": (128, 4, 4, 128, 32),
    "d256": (256, 4, 8, 128, 32),
}
VOCAB = 256


def config_names(parser, text):
    """The comma-separated config list, or the parser's error naming the unknown ones."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in CONFIGS]
    if unknown or not names:
        parser.error("unknown config(s) %s; choose from %s" % (",".join(unknown) or "(none)", ",".join(CONFIGS)))
    return names


def threads_before_torch(threads):
    """OpenBLAS (Debian's BLAS for python3-torch) keeps its own pool that torch.set_num_threads does not always reach,
    so every pool is sized from the environment before torch loads. OMP_WAIT_POLICY is left to the caller."""
    if threads is not None:
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(threads)


def flops_per_step(width, depth, seq_len, batch):
    """Flops.PerStep: 6·(12·L·d² + V·d)·B·T + 12·L·B·T²·d."""
    tokens = float(batch) * seq_len
    weights = 12.0 * depth * width * width + VOCAB * width
    return 6 * weights * tokens + 12.0 * depth * tokens * seq_len * width


def gemm_peak(torch, dtype, sizes=(1024, 2048), repeats=5, trials=5, budget_seconds=10.0):
    """GemmPeak.cs: best GFLOP/s (2n³/t) over a few square products, each into one preallocated output: the GEMM
    alone. A fresh output per product (`c = a.matmul(b)` in a loop) times the allocator's page faults too: 165 GFLOP/s
    where the same OpenBLAS reaches 360 on 2 threads of a Zen 5 (docs/performance.md, sitting 13). As in GemmPeak.cs,
    a size whose products would take more than budget_seconds at the rate so far is cut to one trial or skipped (a CPU
    without bf16 instructions multiplies bf16 at a few GFLOP/s)."""
    import time
    best = 0.0
    gen = torch.Generator().manual_seed(0)
    for n in sizes:
        flops = 2.0 * n ** 3
        if best > 0 and flops * (1 + trials * repeats) / (best * 1e9) > budget_seconds:
            break
        a, b = torch.randn(n, n, generator=gen).to(dtype), torch.randn(n, n, generator=gen).to(dtype)
        c = torch.empty(n, n, dtype=dtype)
        start = time.perf_counter()
        torch.matmul(a, b, out=c)                                    # warm-up, and a first rate for the budget
        best = max(best, flops / (time.perf_counter() - start) / 1e9)
        for _ in range(trials if flops * trials * repeats / (best * 1e9) <= budget_seconds else 1):
            start = time.perf_counter()
            for _ in range(repeats):
                torch.matmul(a, b, out=c)
            best = max(best, flops * repeats / (time.perf_counter() - start) / 1e9)
    return best


def blas(torch):
    """Which BLAS this process multiplies with, read from its own memory map after a product (Debian's torch calls the
    system libblas.so.3, which may be OpenBLAS, BLIS or the reference BLAS), and, for OpenBLAS, the CPU kernel it chose.
    OpenBLAS picks that kernel at start-up from the CPU id; on a CPU newer than the library it falls back to a generic
    one four times slower, and OPENBLAS_CORETYPE overrides its choice either way (compare.py checks the GEMM peak)."""
    torch.ones(64, 64).matmul(torch.ones(64, 64))
    with open("/proc/self/maps") as maps:
        libraries = sorted({line.split()[-1] for line in maps if re.search(r"blas|blis|mkl", line.split()[-1])})
    core = None
    for lib in libraries:
        if "openblas" in os.path.basename(lib):
            try:
                handle = ctypes.CDLL(lib)
                handle.openblas_get_corename.restype = ctypes.c_char_p
                core = handle.openblas_get_corename().decode()
            except (OSError, AttributeError):
                pass
    return {"libraries": libraries, "openblas_core": core, "openblas_coretype_env": os.environ.get("OPENBLAS_CORETYPE")}


def environment():
    """The settings that moved PyTorch's speed most on these machines (docs/performance.md), as this process saw them."""
    return {var: os.environ.get(var) for var in ("OMP_WAIT_POLICY", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                                                 "OPENBLAS_THREAD_TIMEOUT", "OMP_NUM_THREADS")}


def random_stream(torch, seed, n=1 << 20):
    return torch.randint(0, 256, (n,), dtype=torch.uint8, generator=torch.Generator().manual_seed(seed))


def step_gemm_ms(torch, name, trials=3):
    """StepGemms.cs: a step's weight products timed alone at the model's shapes, best of `trials` after a warm-up. For
    every linear layer (per block q/k/v, output, MLP in and out; then the head) the forward product x·Wᵀ and the
    backward ones g·W and gᵀ·x, with B·T rows, in float32: the ceiling for this model in this library."""
    import time
    width, depth, heads, seq_len, batch = CONFIGS[name]
    rows, d, hidden = batch * seq_len, width, 4 * width
    shapes = [(3 * d, d), (d, d), (hidden, d), (d, hidden)] * depth + [(VOCAB, d)]
    operands = {s: (torch.randn(rows, s[1]), torch.randn(s[0], s[1]), torch.randn(rows, s[0])) for s in set(shapes)}

    def one_step():
        for s in shapes:
            x, w, g = operands[s]
            torch.nn.functional.linear(x, w)
            g.matmul(w)
            g.t().matmul(x)

    with torch.no_grad():
        one_step()
        best = float("inf")
        for _ in range(trials):
            start = time.perf_counter()
            one_step()
            best = min(best, time.perf_counter() - start)
    return 1000.0 * best


def row(name, ms, probed_ms, peak, gemm_ms=None):
    """One config's JSON row, the schema `bench --json` writes too (gemm_ms: `step_gemm_ms`)."""
    width, depth, heads, seq_len, batch = CONFIGS[name]
    gflops = flops_per_step(width, depth, seq_len, batch) / (ms / 1000) / 1e9
    return {"name": name, "width": width, "depth": depth, "heads": heads, "seq_len": seq_len, "batch_size": batch,
            "ms_per_step": ms, "tokens_per_s": batch * seq_len / (ms / 1000), "gflops": gflops, "mfu": gflops / peak,
            "probe_overhead": None if probed_ms is None else probed_ms / ms, "step_gemm_ms": gemm_ms}
