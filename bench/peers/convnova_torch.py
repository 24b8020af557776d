#!/usr/bin/env python3
"""ConvNova in eager PyTorch, trained on the batches dnalab's ConvNovaSpeedBench wrote.

The model follows the authors' code (aim-uofa/ConvNova, src/models/ConvNova/convnova.py,
CNNModel, fine-tuning configurations: dropout 0, no FFN, num_cnn_stacks 1) with the
mean-pooling + linear decoder the benchmarks put on top; it is the model
io.dnalab.model.ConvNova implements, and the parameter count printed here must match it.
The training step is io.dnalab.train.FineTuner's (speed_peer.time_training).

Prints one JSON line: steps/s, step-time percentiles, peak RSS, parameter count.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

import speed_peer

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


def main():
    parser = speed_peer.arguments(__doc__.splitlines()[0])
    parser.add_argument("--config", choices=sorted(CONFIGS), default="gb")
    args = parser.parse_args()
    speed_peer.set_up(args)
    batches = speed_peer.read_batches(args)
    model = ConvNova(**CONFIGS[args.config])
    speed_peer.time_training(model, batches, args)


if __name__ == "__main__":
    main()
