#!/usr/bin/python3
"""The workbook's model written the way a PyTorch user writes it: the peer `compare.py` holds Proxies against.

    /usr/bin/python3 bench/peer_step.py [--configs d64,d128,d256] [--steps N] [--warmup N] [--threads N] [--json]

Same model and recipe as the workbook (pre-LN, per-head qk-LayerNorm, rotate-half RoPE, 4d tanh-GELU MLP, untied
head, CE + z-loss 1e-4, clipping at 1, AdamW β 0.9/0.95 ε 1e-8 with independent weight decay 1e-4 on the matrices,
a cosine schedule; the benchmark's one warm-up step is at the peak LR either way), in standard modules and library
calls rather than mirroring the C# file by file. Its initialisation is PyTorch's truncated normal, not rescaled to the
exact std as the workbook's is: a difference in the numbers, not in the work a step does
(`pytorch_step.py` does that): nn.Linear and nn.Embedding, F.cross_entropy, clip_grad_norm_, torch.optim.AdamW with
foreach (fused where the version has it), LambdaLR, scaled_dot_product_attention where the version has it, and the
independent decay as one in-place multiply per matrix. It reads the loss each step, as a training loop that logs it
does, and records no probes. fp32 only.
"""

import argparse
import inspect
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(description="An idiomatic PyTorch training step of the workbook's model (CPU, fp32).")
    p.add_argument("--configs", default="d64,d128,d256", help="comma-separated subset of " + ",".join(common.CONFIGS))
    p.add_argument("--steps", type=int, default=20, help="timed steps (default 20)")
    p.add_argument("--warmup", type=int, default=3, help="untimed steps before the clock starts (default 3)")
    p.add_argument("--threads", type=int, default=None, help="intra-op threads; default: torch's default")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    a = p.parse_args(argv)
    a.config_names = common.config_names(p, a.configs)
    if a.steps < 2 or a.warmup < 1:
        p.error("--steps must be at least 2 and --warmup at least 1")
    if a.threads is not None and a.threads < 1:
        p.error("--threads must be at least 1")
    return a


ARGS = parse_args(sys.argv[1:])
common.threads_before_torch(ARGS.threads)
try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:
    sys.stderr.write("peer_step.py needs PyTorch for %s: %s\nOn Debian 12: apt-get install -y python3-torch, "
                     "and run it with /usr/bin/python3\n" % (sys.executable, e))
    sys.exit(2)

HAS_SDPA = hasattr(F, "scaled_dot_product_attention")                   # PyTorch >= 2.0
# fused AdamW runs on the CPU from PyTorch 2.4 and excludes foreach; before that, foreach (1.12+) is the fast path.
_ADAMW = inspect.signature(torch.optim.AdamW).parameters
ADAMW_OPTIONS = ({"fused": True} if "fused" in _ADAMW and tuple(int(x) for x in torch.__version__.split("+")[0].split(".")[:2]) >= (2, 4)
                 else {"foreach": True} if "foreach" in _ADAMW else {})


class LayerNorm(nn.Module):
    """LayerNorm with a gain and no bias (nn.LayerNorm's bias=False needs PyTorch 2.1), as nanoGPT writes it."""

    def __init__(self, d):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, None, 1e-6)


def rope_tables(seq_len, head_dim, base=10000.0):
    inv = base ** (-torch.arange(0, head_dim, 2).float() / head_dim)
    angles = torch.outer(torch.arange(seq_len).float(), inv)
    return torch.cat([angles, angles], -1).cos(), torch.cat([angles, angles], -1).sin()


def rotate_half(x):
    a, b = x.chunk(2, dim=-1)
    return torch.cat([-b, a], dim=-1)


class Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.proj = nn.Linear(d, d, bias=False)
        self.q_ln, self.k_ln = LayerNorm(d // heads), LayerNorm(d // heads)

    def forward(self, x, cos, sin):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, d // self.heads).transpose(1, 3).unbind(2)
        q, k = self.q_ln(q), self.k_ln(k)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        if HAS_SDPA:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(q.shape[-1]))   # as nanoGPT writes it
            mask = torch.ones(t, t, dtype=torch.bool).triu(1)
            y = scores.masked_fill(mask, float("-inf")).softmax(-1) @ v
        return self.proj(y.transpose(1, 2).reshape(b, t, d))


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln1, self.ln2 = LayerNorm(d), LayerNorm(d)
        self.attn = Attention(d, heads)
        self.fc, self.out = nn.Linear(d, 4 * d, bias=False), nn.Linear(4 * d, d, bias=False)

    def forward(self, x, cos, sin):
        x = x + self.attn(self.ln1(x), cos, sin)
        return x + self.out(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))


class GPT(nn.Module):
    def __init__(self, width, depth, heads, seq_len):
        super().__init__()
        self.embed = nn.Embedding(common.VOCAB, width)
        self.blocks = nn.ModuleList(Block(width, heads) for _ in range(depth))
        self.ln_f = LayerNorm(width)
        self.head = nn.Linear(width, common.VOCAB, bias=False)
        cos, sin = rope_tables(seq_len, width // heads)
        self.register_buffer("cos", cos, persistent=False)
        self.register_buffer("sin", sin, persistent=False)
        for name, p in self.named_parameters():
            if p.dim() == 2:                                             # fan-in scaled, cut at ±2σ
                nn.init.trunc_normal_(p, std=1 / math.sqrt(p.shape[1]), a=-2 / math.sqrt(p.shape[1]), b=2 / math.sqrt(p.shape[1]))

    def forward(self, tokens):
        x = self.embed(tokens)
        for block in self.blocks:
            x = block(x, self.cos, self.sin)
        return self.head(self.ln_f(x))


def loss_fn(logits, targets, z_loss=1e-4):
    logits = logits.view(-1, logits.shape[-1])
    return F.cross_entropy(logits, targets.reshape(-1)) + z_loss * logits.logsumexp(-1).square().mean()


def ms_per_step(name, stream, lr=1e-3, weight_decay=1e-4, min_lr=1e-5):
    width, depth, heads, seq_len, batch = common.CONFIGS[name]
    torch.manual_seed(ARGS.seed)
    model = GPT(width, depth, heads, seq_len)
    matrices = [p for p in model.parameters() if p.dim() == 2]
    opt = torch.optim.AdamW(model.parameters(), lr=lr, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.0, **ADAMW_OPTIONS)
    total = ARGS.warmup + ARGS.steps
    cosine = lambda s: min_lr / lr + (1 - min_lr / lr) * 0.5 * (1 + math.cos(math.pi * min(1.0, s / max(1, total - 1))))
    schedule = torch.optim.lr_scheduler.LambdaLR(opt, cosine)
    offsets = torch.arange(seq_len + 1)
    start = None
    for step in range(total):
        if step == ARGS.warmup:
            start = time.perf_counter()
        window = stream[torch.randint(0, stream.numel() - seq_len - 1, (batch, 1)) + offsets].long()
        loss = loss_fn(model(window[:, :-1]), window[:, 1:])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        with torch.no_grad():                                            # independent decay: θ ← θ·(1 − s_t·λ)
            torch._foreach_mul_(matrices, 1 - schedule.get_last_lr()[0] / lr * weight_decay)
        opt.step()
        schedule.step()
        if not math.isfinite(loss.item()):
            raise RuntimeError("step %d: loss %s" % (step, loss.item()))
    return 1000.0 * (time.perf_counter() - start) / ARGS.steps


def main():
    if ARGS.threads is not None:
        torch.set_num_threads(ARGS.threads)
    peak = common.gemm_peak(torch, torch.float32)
    stream = common.random_stream(torch, ARGS.seed)
    rows = [common.row(name, ms_per_step(name, stream), None, peak, common.step_gemm_ms(torch, name)) for name in ARGS.config_names]
    result = {"framework": "pytorch-peer", "version": torch.__version__, "threads": torch.get_num_threads(),
              "matmul": "fp32", "gemm_gflops": peak, "blas": common.blas(torch), "environment": common.environment(),
              "attention": "sdpa" if HAS_SDPA else "explicit", "adamw": sorted(ADAMW_OPTIONS), "configs": rows}
    if ARGS.json:
        print(json.dumps(result))
        return 0
    print("PyTorch %s, idiomatic peer (%s attention, AdamW %s), %d thread(s), GEMM peak %.1f GFLOP/s, environment %s"
          % (torch.__version__, result["attention"], "+".join(result["adamw"]) or "for-loop", result["threads"], peak,
             result["environment"]))
    for r in rows:
        print("%-5s %8.1f ms/step %9.0f tokens/s %6.1f GFLOP/s; its weight GEMMs alone %.1f ms" % (
            r["name"], r["ms_per_step"], r["tokens_per_s"], r["gflops"], r["step_gemm_ms"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
