#!/usr/bin/python3
"""PyTorch reference for the Proxies step benchmark (lib/Proxies/Benchmarks/StepBenchmark.cs).

The same decoder-only Transformer, loss, optimizer and probes as the C# workbook, written in plain eager
PyTorch, timed the same way, so that tokens/s of TorchSharp can be compared with PyTorch on the same machine.

    /usr/bin/python3 bench/pytorch_step.py [--configs d64,d128,d256] [--steps N] [--warmup N]
                                           [--threads N] [--matmul fp32|bf16] [--json] [--selftest]

Mirrors, file by file:
  Model/Transformer.cs, Rope.cs, Init.cs  pre-LN decoder, gain-only LayerNorm (eps 1e-6), fused qkv (3d, d),
                                          per-head qk-LayerNorm (one d_h gain shared by heads), rotate-half RoPE
                                          (base 10000) after qk-LN, causal attention, 4d tanh-GELU MLP, no biases,
                                          final LN, untied head; truncated-normal (±2σ, rescaled) init
  Losses/LanguageModelLoss.cs             CE + 1e-4·mean(log Z²) from one logsumexp
  Optimization/AdamW.cs                   AdamW written out, β 0.9/0.95, ε 1e-8, bias correction, independent
                                          weight decay 1e-4 on matrices (not LayerNorm gains)
  Optimization/GradientClipping.cs        global-norm clipping at 1, the scale kept as a tensor
  Optimization/Schedule.cs                linear warm-up + cosine to an absolute minimum LR
  Model/AttentionProbe.cs, Probes/LayerStatistics.cs, Training/Trainer.cs
                                          probes on probed steps, read in one transfer; otherwise loss and
                                          grad norm are read each step
  Benchmarks/StepBenchmark.cs, GemmPeak.cs, Model/Flops.cs
                                          timing, the GEMM ceiling and the FLOP count
"""

import argparse
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import CONFIGS, VOCAB  # noqa: E402

LN_EPS = 1e-6
ROPE_BASE = 10000.0
MLP_RATIO = 4
Z_LOSS = 1e-4
CLIP_NORM = 1.0
BETA1, BETA2, ADAM_EPS, WEIGHT_DECAY = 0.9, 0.95, 1e-8, 1e-4
# StepBenchmark.ConfigFor: Lr 1e-3, one warm-up step, cosine to TrainConfig.MinLr over the run.
BENCH_LR, BENCH_WARMUP_LR_STEPS, MIN_LR = 1e-3, 1, 1e-5
TRUNCATED_STD_OF_UNIT_NORMAL = 0.87962566103423978


def parse_args(argv):
    p = argparse.ArgumentParser(description="PyTorch reference timing of one Proxies training step (CPU).")
    p.add_argument("--configs", default="d64,d128,d256",
                   help="comma-separated subset of " + ",".join(CONFIGS) + " (default: all)")
    p.add_argument("--steps", type=int, default=20, help="timed steps per measurement (default 20)")
    p.add_argument("--warmup", type=int, default=3, help="untimed steps before the clock starts (default 3)")
    p.add_argument("--threads", type=int, default=None,
                   help="intra-op threads (torch, OpenMP and OpenBLAS); default: torch's default")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--matmul", choices=("fp32", "bf16"), default="fp32",
                   help="dtype of the linear layers' products (ModelConfig.Matmul; bf16 = autocast of every linear "
                        "layer, attention and the rest in fp32); MFU is then against the bf16 GEMM peak")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.add_argument("--selftest", action="store_true",
                   help="train a tiny model 30 steps on repeated text and print the losses (correctness check)")
    a = p.parse_args(argv)
    names = common.config_names(p, a.configs)
    if a.steps < 2:
        p.error("--steps must be at least 2")
    if a.warmup < 1:
        p.error("--warmup must be at least 1 (the clock starts at the end of a step)")
    if a.threads is not None and a.threads < 1:
        p.error("--threads must be at least 1")
    a.config_names = names
    return a


ARGS = parse_args(sys.argv[1:])

common.threads_before_torch(ARGS.threads)
# Passive OpenMP waiting is what the C# runtime sets too (TorchRuntime.ChildEnvironment).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:
    sys.stderr.write(
        "pytorch_step.py needs PyTorch for this interpreter (%s): %s\n"
        "On Debian 12: apt-get install -y python3-torch libopenblas0-pthread\n"
        "and run the script with /usr/bin/python3 (Debian's torch is installed for it only).\n" % (sys.executable, e))
    sys.exit(2)

HAS_SDPA = hasattr(F, "scaled_dot_product_attention")  # PyTorch >= 2.0


# ---------------------------------------------------------------------------------------------- model

def linear(x, w):
    """Transformer.Linear: x·wᵀ, in bfloat16 under --matmul bf16 (the result stays bfloat16)."""
    if ARGS.matmul == "bf16":
        return F.linear(x.to(torch.bfloat16), w.to(torch.bfloat16))
    return F.linear(x, w)


def layer_norm(x, gain):
    """Mean-centred LayerNorm over the last axis with a gain and no bias (Transformer.LayerNorm)."""
    return F.layer_norm(x, (x.shape[-1],), gain, None, LN_EPS)


def truncated_normal_(w, std, gen):
    """Init.TruncatedNormal: a standard normal cut at ±2 by rejection, rescaled to std exactly."""
    with torch.no_grad():
        w.normal_(0, 1, generator=gen)
        outside = w.abs() > 2
        while bool(outside.any()):
            w[outside] = torch.randn(int(outside.sum()), generator=gen)
            outside = w.abs() > 2
        w.mul_(std / TRUNCATED_STD_OF_UNIT_NORMAL)


class Rope:
    """Rotate-half RoPE (Rope.cs): pairs (i, i + d_h/2) rotated by t·base^(−2i/d_h); tables built in float64."""

    def __init__(self, seq_len, head_dim):
        inv = ROPE_BASE ** (-torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim)
        angles = torch.outer(torch.arange(seq_len, dtype=torch.float64), inv)
        both = torch.cat([angles, angles], -1)
        self.cos = both.cos().float()
        self.sin = both.sin().float()

    def apply(self, x):
        t, half = x.shape[-2], x.shape[-1] // 2
        rotated = torch.cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1)
        return x * self.cos[:t] + rotated * self.sin[:t]


class AttentionProbe:
    """AttentionProbe.cs: per block, the max causal logit z = q·k·scale and ‖q‖, ‖k‖, cosine at that pair."""

    def __init__(self):
        self.per_block = []

    @staticmethod
    def causal_logits(q, k, scale):
        t = q.shape[-2]
        future = torch.ones(t, t, dtype=torch.bool, device=q.device).triu(1)
        return torch.matmul(q, k.transpose(-2, -1)).mul(scale).masked_fill(future, float("-inf"))

    def record(self, q, k, scale):
        with torch.no_grad():
            z = self.causal_logits(q, k, scale)                      # (B, H, T, T)
            t = z.shape[-1]
            flat = z.flatten()
            at = flat.argmax().reshape(1)
            q_norm = q.norm(dim=-1).flatten()                        # (B·H·T)
            k_norm = k.norm(dim=-1).flatten()
            row = torch.div(at, t, rounding_mode="floor")            # index of (b, h, i)
            col = torch.div(row, t, rounding_mode="floor") * t + at.remainder(t)  # index of (b, h, j)
            mx = flat.index_select(0, at)
            qn, kn = q_norm.index_select(0, row), k_norm.index_select(0, col)
            cos = mx / (scale * qn * kn)
            self.per_block.append(torch.cat([mx, qn, kn, cos]))

    def stacked(self):
        return torch.stack(self.per_block)                           # (L, 4)


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.d, self.heads, self.head_dim = d, heads, d // heads
        hidden = MLP_RATIO * d
        # Declaration order of Transformer.Block (named_parameters order, hence probe-column order).
        self.ln1 = nn.Parameter(torch.ones(d))
        self.ln2 = nn.Parameter(torch.ones(d))
        self.wqkv = nn.Parameter(torch.empty(3 * d, d))              # queries, keys, values in one GEMM
        self.wo = nn.Parameter(torch.empty(d, d))
        self.q_ln = nn.Parameter(torch.ones(self.head_dim))          # shared across heads
        self.k_ln = nn.Parameter(torch.ones(self.head_dim))
        self.w1 = nn.Parameter(torch.empty(hidden, d))
        self.w2 = nn.Parameter(torch.empty(d, hidden))
        self.scale = 1.0 / math.sqrt(self.head_dim)                  # μParam off

    def initialise(self, gen):
        for w in (self.wqkv, self.wo, self.w1, self.w2):
            truncated_normal_(w, 1.0 / math.sqrt(w.shape[1]), gen)

    def forward(self, x, rope, probe):
        x = x + self.attention(layer_norm(x, self.ln1), rope, probe)
        return x + linear(F.gelu(linear(layer_norm(x, self.ln2), self.w1), approximate="tanh"), self.w2)

    def attention(self, x, rope, probe):
        b, t = x.shape[0], x.shape[1]
        qkv = linear(x, self.wqkv).float().view(b, t, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        q, k = layer_norm(q, self.q_ln), layer_norm(k, self.k_ln)
        q, k = rope.apply(q), rope.apply(k)
        if probe is not None:
            probe.record(q, k, self.scale)
        if HAS_SDPA:
            # The kernel scales by 1/√d_h itself, which is self.scale here (μParam off): nothing to fold.
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            # PyTorch < 2.0: softmax(q kᵀ·scale + causal mask) v written out (materialises the (B,H,T,T) scores).
            y = torch.softmax(AttentionProbe.causal_logits(q, k, self.scale), dim=-1).matmul(v)
        return linear(y.transpose(1, 2).reshape(b, t, self.d), self.wo)


class Transformer(nn.Module):
    def __init__(self, width, depth, heads, seq_len, gen):
        super().__init__()
        self.width = width
        self.embed = nn.Parameter(torch.empty(VOCAB, width))
        self.blocks = nn.ModuleList([Block(width, heads) for _ in range(depth)])
        self.ln_f = nn.Parameter(torch.ones(width))
        self.head = nn.Parameter(torch.empty(VOCAB, width))          # untied
        self.rope = Rope(seq_len, width // heads)
        with torch.no_grad():
            self.embed.normal_(0, 1.0 / math.sqrt(width), generator=gen)
            truncated_normal_(self.head, 1.0 / math.sqrt(width), gen)
            for block in self.blocks:
                block.initialise(gen)

    def forward(self, tokens, probe=None):
        x = F.embedding(tokens, self.embed)
        for block in self.blocks:
            x = block(x, self.rope, probe)
        return linear(layer_norm(x, self.ln_f), self.head).float()


# ------------------------------------------------------------------------------ loss, optimizer, probes

def lm_loss(logits, targets, z_coef):
    """LanguageModelLoss.Compute: (total, ce, z, mean logit, mean log Z), one logsumexp."""
    flat = logits.view(-1, logits.shape[-1])
    log_z = flat.logsumexp(-1)
    target = flat.gather(1, targets.reshape(-1, 1)).squeeze(1)
    ce = (log_z - target).mean()
    z = log_z.square().mean()
    total = ce if z_coef == 0 else ce + z_coef * z
    with torch.no_grad():
        return total, ce, z, flat.detach().mean(), log_z.detach().mean()


def kind_of(name):
    """MuParamGroups.KindOf."""
    if name == "embed":
        return "embedding"
    if name == "head":
        return "head"
    if "ln" in name.split(".")[-1]:
        return "gain"
    return "linear"


class Schedule:
    """Schedule.cs: lr_t = η(t+1)/W in warm-up, then min + ½(η − min)(1 + cos πp)."""

    def __init__(self, peak, warmup, total, min_lr):
        self.peak, self.warmup, self.total, self.min_lr = peak, warmup, total, min_lr

    def lr(self, step):
        if step < self.warmup:
            return self.peak * (step + 1) / self.warmup
        progress = 1.0 if self.total == self.warmup else (step - self.warmup) / (self.total - self.warmup)
        return self.min_lr + 0.5 * (self.peak - self.min_lr) * (1 + math.cos(math.pi * min(1.0, progress)))

    def multiplier(self, step):
        return self.lr(step) / self.peak


class AdamW:
    """AdamW.cs, independent weight decay: θ ← θ·(1 − s_t·λ) − s_t·η·Δ, Δ = m̂/(√v̂ + ε); no decay on gains."""

    def __init__(self, named_params):
        self.groups = [(n, p, kind_of(n) != "gain") for n, p in named_params]
        self.m = [torch.zeros_like(p) for _, p, _ in self.groups]
        self.v = [torch.zeros_like(p) for _, p, _ in self.groups]
        self.step_count = 0

    def step(self, peak_lr, multiplier, updates=None):
        self.step_count += 1
        bc1, bc2 = 1 - BETA1 ** self.step_count, 1 - BETA2 ** self.step_count
        lr = multiplier * peak_lr  # μParam off: every group's LR multiplier is 1
        with torch.no_grad():
            for i, (_, p, decays) in enumerate(self.groups):
                g = p.grad
                if g is None:
                    continue
                self.m[i].mul_(BETA1).add_(g, alpha=1 - BETA1)
                self.v[i].mul_(BETA2).addcmul_(g, g, value=1 - BETA2)
                delta = (self.m[i] / bc1).div_((self.v[i] / bc2).sqrt_().add_(ADAM_EPS))
                if decays and WEIGHT_DECAY != 0:
                    p.mul_(1 - multiplier * WEIGHT_DECAY)
                p.add_(delta, alpha=-lr)
                if updates is not None:
                    updates[i] = delta

    def zero_grad(self):
        for _, p, _ in self.groups:
            if p.grad is not None:
                p.grad.zero_()


def clip_global_norm(params, max_norm):
    """GradientClipping.ClipGlobalNorm: scale by min(1, max/(‖g‖ + 1e-6)) as a tensor (no host sync)."""
    with torch.no_grad():
        grads = [p.grad for p in params if p.grad is not None]
        total = torch.stack([g.square().sum() for g in grads]).sum().sqrt()
        scale = (max_norm / (total + 1e-6)).clamp_max(1.0)
        for g in grads:
            g.mul_(scale)
        return total


def rms(x):
    return x.square().mean().sqrt()


# ------------------------------------------------------------------------------------------ training

class Sampler:
    """Seeded random windows of T+1 bytes from a stream (BatchSampler.cs, with torch's generator)."""

    def __init__(self, stream, batch, seq_len, seed):
        self.stream, self.batch, self.seq_len = stream, batch, seq_len
        self.gen = torch.Generator().manual_seed(seed)
        self.offsets = torch.arange(seq_len + 1)

    def next(self):
        starts = torch.randint(0, self.stream.numel() - self.seq_len - 1, (self.batch,), generator=self.gen)
        window = self.stream[starts[:, None] + self.offsets].long()
        return window[:, :self.seq_len], window[:, 1:]


def train(cfg, stream, steps, probing, seed, lr=BENCH_LR, warmup_lr_steps=BENCH_WARMUP_LR_STEPS, on_step=None):
    """Trainer.Run's loop. probing(step) -> bool. Calls on_step(step, values) after each step's host read,
    where values is [ce, grad_norm] between probes and the whole probe row on probed steps."""
    width, depth, heads, seq_len, batch = cfg
    torch.manual_seed(seed)
    model = Transformer(width, depth, heads, seq_len, torch.Generator().manual_seed(seed))
    named = list(model.named_parameters())
    params = [p for _, p in named]
    opt = AdamW(named)
    sampler = Sampler(stream, batch, seq_len, seed)
    schedule = Schedule(lr, warmup_lr_steps, steps, MIN_LR)
    for step in range(steps):
        probe_now = probing(step)
        inputs, targets = sampler.next()
        attention = AttentionProbe() if probe_now else None
        logits = model(inputs, attention)
        total, ce, z, mean_logit, mean_log_z = lm_loss(logits, targets, Z_LOSS)
        opt.zero_grad()
        total.backward()
        grad_rms = [rms(p.grad) for p in params] if probe_now else None
        grad_norm = clip_global_norm(params, CLIP_NORM)
        updates = [None] * len(params) if probe_now else None
        opt.step(lr, schedule.multiplier(step), updates)
        if not probe_now:
            values = torch.stack([ce, grad_norm]).double().cpu().tolist()   # one small transfer
        else:
            with torch.no_grad():
                layer_stats = torch.stack(grad_rms + [rms(p) for p in params]
                                          + [rms(u) if u is not None else torch.tensor(float("nan")) for u in updates])
                values = torch.cat([torch.stack([ce, z, grad_norm, mean_logit, mean_log_z]),
                                    attention.stacked().flatten(), layer_stats]).double().cpu().tolist()
        if not all(math.isfinite(v) for v in values[:5 if probe_now else 2]):
            raise RuntimeError("step %d diverged: %s" % (step, values[:5]))
        if on_step is not None:
            on_step(step, probe_now, values)
    return model


def ms_per_step(cfg, stream, steps, warmup, probe_every_step, seed):
    """ms per step over the `steps` steps after `warmup` untimed ones; the clock runs from the end of the last
    warm-up step to the end of the last step (StepBenchmark.MsPerStep with warm-up > 1). Without probes every
    step, only the first and the last step are probed (ProbeEvery = Steps)."""
    total = warmup + steps
    ends = {}

    def probing(step):
        return probe_every_step or step == 0 or step == total - 1

    def on_step(step, _probed, _values):
        if step == warmup - 1 or step == total - 1:
            ends[step] = time.perf_counter()

    train(cfg, stream, total, probing, seed, on_step=on_step)
    return 1000.0 * (ends[total - 1] - ends[warmup - 1]) / steps


def selftest(seed):
    """Tiny model on repeated text: step-0 loss ≈ ln 256 + ½ (unit-variance logits), then it must fall."""
    text = (b"The quick brown fox jumps over the lazy dog. " * 2000)
    stream = torch.tensor(list(text), dtype=torch.uint8)
    cfg = (32, 2, 1, 32, 16)
    losses = []
    train(cfg, stream, 30, lambda s: True, seed, lr=1e-2, warmup_lr_steps=5,
          on_step=lambda s, _p, v: losses.append(v[0]))
    print("torch %s, %s attention" % (torch.__version__, "SDPA" if HAS_SDPA else "explicit causal-softmax"))
    print("ln(256) = %.4f; loss per step:" % math.log(256))
    for i in range(0, 30, 5):
        print("  " + "  ".join("%2d:%.3f" % (j, losses[j]) for j in range(i, min(i + 5, 30))))
    ok = 5.2 < losses[0] < 7.0 and losses[-1] < losses[0] - 1.0
    print("selftest %s" % ("passed" if ok else "FAILED"))
    return 0 if ok else 1


def main():
    if ARGS.threads is not None:
        torch.set_num_threads(ARGS.threads)
    if ARGS.selftest:
        return selftest(ARGS.seed)
    threads = torch.get_num_threads()
    peak = common.gemm_peak(torch, torch.bfloat16 if ARGS.matmul == "bf16" else torch.float32)
    library = common.blas(torch)
    stream = common.random_stream(torch, ARGS.seed)
    rows = []
    for name in ARGS.config_names:
        cfg = CONFIGS[name]
        plain = ms_per_step(cfg, stream, ARGS.steps, ARGS.warmup, False, ARGS.seed)
        probed = ms_per_step(cfg, stream, ARGS.steps, ARGS.warmup, True, ARGS.seed)
        rows.append(common.row(name, plain, probed, peak, common.step_gemm_ms(torch, name) if ARGS.matmul == "fp32" else None))
        if not ARGS.json:
            sys.stderr.write("  %s done\n" % name)
    if ARGS.json:
        print(json.dumps({"framework": "pytorch", "version": torch.__version__, "threads": threads,
                          "matmul": ARGS.matmul, "gemm_gflops": peak, "blas": library,
                          "environment": common.environment(), "configs": rows}))
        return 0
    print("PyTorch %s (eager, %s attention), %d thread(s), %s matmuls, %s GEMM peak %.1f GFLOP/s, %d timed steps after %d"
          % (torch.__version__, "SDPA" if HAS_SDPA else "explicit", threads, ARGS.matmul, ARGS.matmul, peak,
             ARGS.steps, ARGS.warmup))
    print("BLAS: %s%s" % (", ".join(library["libraries"]) or "none found",
                          " (OpenBLAS kernel %s)" % library["openblas_core"] if library["openblas_core"] else ""))
    header = "%-6s %6s %6s %6s %5s %6s %10s %10s %8s %7s %9s" % (
        "config", "width", "depth", "heads", "seq", "batch", "ms/step", "tokens/s", "GFLOP/s", "MFU", "probe x")
    print(header)
    print("-" * len(header))
    for r in rows:
        print("%-6s %6d %6d %6d %5d %6d %10.1f %10.0f %8.2f %6.1f%% %9.2f" % (
            r["name"], r["width"], r["depth"], r["heads"], r["seq_len"], r["batch_size"], r["ms_per_step"],
            r["tokens_per_s"], r["gflops"], 100 * r["mfu"], r["probe_overhead"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
