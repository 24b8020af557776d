"""What the eager-PyTorch peers of dnalab's speed benchmarks share (see
bench/src/main/java/io/dnalab/bench/SpeedComparison.java): the command line, the batches file
the Java side writes, the training step of io.dnalab.train.FineTuner (cross-entropy, backward,
global-norm clipping 1.0, AdamW with decay 0.1 on >= 2-D weights except embeddings, 1% warm-up
+ cosine to 0.1 of the peak) and the JSON line the Java side reads.
"""
import argparse
import json
import math
import os
import resource
import sys
import time

import torch
import torch.nn.functional as F


def arguments(description):
    """The arguments every peer takes; add model-specific ones to the returned parser."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data", required=True, help="batches file written by the Java side")
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--length", type=int, required=True)
    parser.add_argument("--count", type=int, required=True, help="number of batches in the file")
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    return parser


def set_up(args):
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)


def read_batches(args):
    """File layout: per batch, B*L ids then B labels, each a little-endian int32."""
    raw = open(args.data, "rb").read()
    per_batch = args.batch * args.length + args.batch
    if len(raw) != 4 * per_batch * args.count:
        sys.exit(f"{args.data}: expected {4 * per_batch * args.count} bytes, got {len(raw)}")
    values = torch.frombuffer(bytearray(raw), dtype=torch.int32).long()
    batches = []
    for b in range(args.count):
        chunk = values[b * per_batch:(b + 1) * per_batch]
        ids = chunk[:args.batch * args.length].view(args.batch, args.length).clone()
        labels = chunk[args.batch * args.length:].clone()
        batches.append((ids, labels))
    return batches


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


def process_clock():
    """(CPU s, run-queue wait s) of this process's live threads so far, from Linux's
    /proc/self/task/<tid>/schedstat: the Java side's SpeedComparison.ProcessClock. The wait is
    time a ready thread spent without a core because another process had it."""
    cpu = wait = 0.0
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:
        return float("nan"), float("nan")
    for tid in tasks:
        try:
            with open(f"/proc/self/task/{tid}/schedstat") as stat:
                on_cpu, waiting = stat.read().split()[:2]
        except OSError:
            continue  # the thread ended between the listing and the read
        cpu += int(on_cpu) / 1e9
        wait += int(waiting) / 1e9
    return cpu, wait


def time_training(model, batches, args, peak_lr=1e-3, weight_decay=0.1):
    """Times FineTuner's step on `batches` (cycled) and prints the JSON line."""
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2 and "embedding" not in n]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2 or "embedding" in n]
    optimizer = torch.optim.AdamW([
        {"params": decay, "weight_decay": weight_decay},
        {"params": no_decay, "weight_decay": 0.0}], lr=peak_lr)
    total = args.warmup + args.steps
    rate = warmup_cosine(peak_lr, max(1, round(0.01 * total)), total)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: rate(s) / peak_lr)
    model.train()

    times = []
    cpu = wait = 0.0  # over the timed steps
    loss_value = float("nan")
    for step in range(total):
        ids, labels = batches[step % len(batches)]
        clock = process_clock()
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
            now = process_clock()
            cpu += now[0] - clock[0]
            wait += now[1] - clock[1]

    times.sort()
    print(json.dumps({
        "impl": "pytorch-eager",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "parameters": sum(p.numel() for p in model.parameters()),
        "steps": len(times),
        "steps_per_s": len(times) / sum(times),
        "step_ms_median": 1000 * times[len(times) // 2],
        "step_ms_p90": 1000 * times[int(len(times) * 0.9)],
        "step_cpu_s": cpu,
        "step_wait_s": wait,
        "last_loss": loss_value,
        "peak_rss_mb": peak_rss_mb(),
    }))
