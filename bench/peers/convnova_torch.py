#!/usr/bin/env python3
"""ConvNova in eager PyTorch, trained on the batches dnalab's ConvNovaSpeedBench wrote.

The model follows the authors' code (aim-uofa/ConvNova, src/models/ConvNova/convnova.py,
CNNModel, fine-tuning configurations: dropout 0, no FFN, num_cnn_stacks 1) with the
mean-pooling + linear decoder the benchmarks put on top; it is the model
io.dnalab.model.ConvNova implements, and the parameter count printed here must match it.
The training step matches io.dnalab.train.FineTuner: cross-entropy, backward, global-norm
clipping (1.0), AdamW (decay on >= 2-D weights only), warm-up + cosine learning rate.

Prints one JSON line: steps/s, step-time percentiles, peak RSS, parameter count.
"""
import argparse
import json
import math
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIGS = {
    # d_model, kernel_size, num_conv1d, dilation base, d_inner (head factor)
    "gb": dict(width=64, kernel=5, blocks=5, base=4, inner=4),
    "nt": dict(width=128, kernel=9, blocks=5, base=4, inner=2),
}


def dilation_schedule(blocks, base, cap=1024):
    return [1 if i < 2 else min(cap, base ** (i - 2)) for i in range(blocks)]


class ConvNova(nn.Module):
    def __init__(self, width, kernel, blocks, base, inner, num_classes=2, alphabet=5):
        super().__init__()
        d = width
        # The authors hard-code the stem kernel to 9.
        self.stem = nn.Conv1d(alphabet, d, kernel_size=9, padding=4)
        self.rc_stem = nn.Conv1d(alphabet, d, kernel_size=9, padding=4)
        dilations = dilation_schedule(blocks, base)
        self.convs = nn.ModuleList(
            nn.Conv1d(d, d, kernel, dilation=r, padding=(kernel - 1) // 2 * r) for r in dilations)
        self.gates = nn.ModuleList(
            nn.Conv1d(d, d, kernel, dilation=r, padding=(kernel - 1) // 2 * r) for r in dilations)
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in dilations)
        self.rc_norms = nn.ModuleList(nn.LayerNorm(d) for _ in dilations)
        f = d * inner
        self.head = nn.Sequential(
            nn.Linear(d, f), nn.GELU(), nn.Linear(f, f), nn.LayerNorm(f),
            nn.Linear(f, f), nn.GELU(), nn.Linear(f, d), nn.LayerNorm(d))
        self.out = nn.Linear(d, num_classes)
        self.alphabet = alphabet

    def forward(self, seq):  # seq (B, L) int64, ACGTN = 0..4
        n = seq == 4
        rc_seq = 3 - seq
        rc_seq[n] = 4
        rc = F.one_hot(rc_seq, num_classes=self.alphabet).float().permute(0, 2, 1)  # (B, 5, L)
        x = F.one_hot(seq, num_classes=self.alphabet).float().permute(0, 2, 1)
        x = F.gelu(self.stem(x))  # (B, d, L)
        rc = F.gelu(self.rc_stem(rc))
        for i in range(len(self.convs)):
            h = self.norms[i](x.permute(0, 2, 1)).permute(0, 2, 1)
            rc_h = self.rc_norms[i](rc.permute(0, 2, 1)).permute(0, 2, 1)
            g = torch.sigmoid(self.gates[i](rc_h))
            h = F.gelu(self.convs[i](h))
            x = h * g + x
            rc = g + rc
        x = x.permute(0, 2, 1)  # (B, L, d)
        x = self.head(x) + x
        return self.out(x.mean(dim=1))  # (B, K)


def warmup_cosine(peak, warmup, total, floor_fraction=0.1):
    floor = peak * floor_fraction

    def rate(step):
        if step < warmup:
            return peak * (step + 1) / warmup
        progress = min(1.0, (step - warmup) / max(1, total - warmup))
        return floor + (peak - floor) * 0.5 * (1 + math.cos(math.pi * progress))
    return rate


def peak_rss_mb():
    """VmHWM of this process. Not ru_maxrss: Linux carries that over exec from the process that
    forked us (here the JVM), so it would report the JVM's peak."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="batches file written by ConvNovaSpeedBench")
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--length", type=int, required=True)
    parser.add_argument("--count", type=int, required=True, help="number of batches in the file")
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--config", choices=sorted(CONFIGS), default="gb")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)

    # File layout: per batch, B*L ids then B labels, each one signed byte.
    raw = open(args.data, "rb").read()
    per_batch = args.batch * args.length + args.batch
    if len(raw) != per_batch * args.count:
        sys.exit(f"{args.data}: expected {per_batch * args.count} bytes, got {len(raw)}")
    all_bytes = torch.frombuffer(bytearray(raw), dtype=torch.int8).long()
    batches = []
    for b in range(args.count):
        chunk = all_bytes[b * per_batch:(b + 1) * per_batch]
        ids = chunk[:args.batch * args.length].view(args.batch, args.length).clone()
        labels = chunk[args.batch * args.length:].clone()
        batches.append((ids, labels))

    model = ConvNova(**CONFIGS[args.config])
    params = sum(p.numel() for p in model.parameters())
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW([
        {"params": decay, "weight_decay": 0.1},
        {"params": no_decay, "weight_decay": 0.0}], lr=1e-3)
    total = args.warmup + args.steps
    rate = warmup_cosine(1e-3, max(1, round(0.01 * total)), total)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: rate(s) / 1e-3)
    model.train()

    times = []
    for step in range(total):
        ids, labels = batches[step % len(batches)]
        start = time.perf_counter()
        logits = model(ids)
        loss = F.cross_entropy(logits, labels)
        optimizer.zero_grad(set_to_none=False)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        loss_value = loss.item()
        if step >= args.warmup:
            times.append(time.perf_counter() - start)

    times.sort()
    print(json.dumps({
        "impl": "pytorch-eager",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "parameters": params,
        "steps": len(times),
        "steps_per_s": len(times) / sum(times),
        "step_ms_median": 1000 * times[len(times) // 2],
        "step_ms_p90": 1000 * times[int(len(times) * 0.9)],
        "last_loss": loss_value,
        "peak_rss_mb": peak_rss_mb(),
    }))


if __name__ == "__main__":
    main()
