#!/usr/bin/env python3
"""A DNABERT-2-style BERT classifier in eager PyTorch, trained on the batches dnalab's BertSpeedBench wrote.

The encoder is the one io.dnalab.model.BertEncoder implements, after DNABERT-2's
bert_layers.py (MosaicBERT) on its plain-PyTorch path: word + token-type embeddings,
LayerNorm (eps 1e-12), dropout; per layer fused Wqkv, symmetric ALiBi bias, softmax,
dropout, output projection, dropout, post-norm LayerNorm; GEGLU feed-forward (gated
Linear H -> 2I without bias, gelu(gate) * value, dropout, Linear I -> H, dropout, LayerNorm).
Head: the [CLS] (first) position, or the mean over positions, then Linear(H -> K), as
io.dnalab.model.EncoderClassifier. The parameter count printed here must match dnalab's.
The training step is io.dnalab.train.FineTuner's (speed_peer.time_training).

Prints one JSON line: steps/s, step-time percentiles, peak RSS, parameter count.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

import speed_peer


def alibi_slopes(heads):
    """MosaicBERT's _get_alibi_head_slopes."""
    def power_of_two(n):
        return [2 ** (-8 * (i + 1) / n) for i in range(n)]
    if math.log2(heads).is_integer():
        return power_of_two(heads)
    closest = 2 ** math.floor(math.log2(heads))
    return power_of_two(closest) + alibi_slopes(2 * closest)[0::2][:heads - closest]


class Layer(nn.Module):
    def __init__(self, hidden, heads, intermediate, dropout):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.attention_output = nn.Linear(hidden, hidden)
        self.attention_norm = nn.LayerNorm(hidden, eps=1e-12)
        self.gated = nn.Linear(hidden, 2 * intermediate, bias=False)
        self.feed_forward_output = nn.Linear(intermediate, hidden)
        self.feed_forward_norm = nn.LayerNorm(hidden, eps=1e-12)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, bias):  # x (B, L, H), bias (1|B, h, L, L)
        b, length, hidden = x.shape
        qkv = self.qkv(x).view(b, length, 3, self.heads, hidden // self.heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)  # each (B, h, L, d)
        scores = (q * (hidden // self.heads) ** -0.5) @ k.transpose(-1, -2) + bias
        probabilities = self.dropout(scores.softmax(-1))
        context = (probabilities @ v).transpose(1, 2).reshape(b, length, hidden)
        x = self.attention_norm(x + self.dropout(self.attention_output(context)))
        gate, value = self.gated(x).chunk(2, dim=-1)
        h = self.dropout(F.gelu(gate) * value)
        return self.feed_forward_norm(x + self.dropout(self.feed_forward_output(h)))


class BertClassifier(nn.Module):
    def __init__(self, vocab, layers, hidden, heads, intermediate, dropout, pooling, classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab, hidden)
        self.token_type_embedding = nn.Embedding(2, hidden)
        self.embedding_norm = nn.LayerNorm(hidden, eps=1e-12)
        self.dropout = nn.Dropout(dropout)
        self.layers = nn.ModuleList(
            Layer(hidden, heads, intermediate, dropout) for _ in range(layers))
        self.output = nn.Linear(hidden, classes)
        self.pooling = pooling
        self.register_buffer("slopes", torch.tensor(alibi_slopes(heads)).view(1, heads, 1, 1))
        for module in self.modules():  # DNABERT-2's _init_weights
            if isinstance(module, (nn.Linear, nn.Embedding)):
                module.weight.data.normal_(0.0, 0.02)
                if isinstance(module, nn.Linear) and module.bias is not None:
                    module.bias.data.zero_()

    def forward(self, ids):  # ids (B, L) int64, no padding (equal-length batches)
        length = ids.shape[1]
        x = self.embedding(ids) + self.token_type_embedding.weight[0]
        x = self.dropout(self.embedding_norm(x))
        positions = torch.arange(length, dtype=torch.float32)
        bias = -(positions[:, None] - positions[None, :]).abs() * self.slopes  # (1, h, L, L)
        for layer in self.layers:
            x = layer(x, bias)
        pooled = x[:, 0] if self.pooling == "cls" else x.mean(dim=1)
        return self.output(pooled)  # (B, K)


def main():
    parser = speed_peer.arguments(__doc__.splitlines()[0])
    parser.add_argument("--vocab", type=int, required=True)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--intermediate", type=int, default=512)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--pooling", choices=["cls", "mean"], default="cls")
    parser.add_argument("--classes", type=int, default=2)
    args = parser.parse_args()
    speed_peer.set_up(args)
    batches = speed_peer.read_batches(args)
    model = BertClassifier(args.vocab, args.layers, args.hidden, args.heads, args.intermediate,
                           args.dropout, args.pooling, args.classes)
    speed_peer.time_training(model, batches, args)


if __name__ == "__main__":
    main()
