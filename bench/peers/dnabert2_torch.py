#!/usr/bin/env python3
"""DNABERT-2-117M-shaped BERT in eager PyTorch with dnalab's weights: forward pass and fine-tuning step.

The model is bert_torch.py's (DNABERT-2's bert_layers.py on its plain-PyTorch path: fused Wqkv,
symmetric ALiBi, GEGLU, post-norm LayerNorm eps 1e-12; [CLS] + Linear head). Its encoder weights
are read from the safetensors file io.dnalab.bench.Dnabert2SpeedBench writes (DJL's parameter
names, mapped below), so both sides compute the same function; the head is initialised here.
Times, on the batches the Java side wrote: the encoder's forward pass under torch.no_grad() in
eval mode, and speed_peer.time_training's fine-tuning step (none with --steps 0), with the CPU and
run-queue wait seconds of the timed calls (speed_peer.process_clock). Prints one JSON line.
"""
import contextlib
import io
import json
import re
import time

import torch
from safetensors.torch import load_file

import bert_torch
import speed_peer


def torch_name(djl_name):
    """DJL's names, e.g. '02layer_0_01qkv_weight' or 'embedding_norm_gamma', as bert_torch's."""
    name = re.sub(r"(^|_)\d\d(?=[a-z])", r"\1", djl_name)  # DJL numbers its child blocks
    name = re.sub(r"_gamma$", "_weight", re.sub(r"_beta$", "_bias", name))
    if name in ("embedding", "token_type_embedding"):
        return name + ".weight"
    layer = re.match(r"^layer_(\d+)_(.+)_(weight|bias)$", name)
    if layer:
        return f"layers.{layer.group(1)}.{layer.group(2)}.{layer.group(3)}"
    norm = re.match(r"^(embedding_norm)_(weight|bias)$", name)
    if norm:
        return f"{norm.group(1)}.{norm.group(2)}"
    raise SystemExit(f"unknown dnalab parameter {djl_name!r}")


class PooledClassifier(bert_torch.BertClassifier):
    """dnalab's BERT classifier head (EncoderClassifier with DNABERT-2's Head): [CLS] ->
    tanh(Linear(H -> H)) (BERT's pooler) -> dropout -> Linear(H -> K)."""

    def __init__(self, *args):
        super().__init__(*args)
        hidden = self.embedding.weight.shape[1]
        self.pooler = torch.nn.Linear(hidden, hidden)
        self.pooler.weight.data.normal_(0.0, 0.02)
        self.pooler.bias.data.zero_()

    def forward(self, ids):
        x = encode(self, ids)
        return self.output(self.dropout(torch.tanh(self.pooler(x[:, 0]))))


def encode(model, ids):
    """BertClassifier.forward without the head: (B, L) -> (B, L, H)."""
    length = ids.shape[1]
    x = model.embedding(ids) + model.token_type_embedding.weight[0]
    x = model.dropout(model.embedding_norm(x))
    positions = torch.arange(length, dtype=torch.float32)
    bias = -(positions[:, None] - positions[None, :]).abs() * model.slopes
    for layer in model.layers:
        x = layer(x, bias)
    return x


def main():
    parser = speed_peer.arguments(__doc__.splitlines()[0])
    parser.add_argument("--weights", required=True, help="encoder.safetensors from the Java side")
    parser.add_argument("--forward", type=int, default=2, help="timed forward passes")
    parser.add_argument("--vocab", type=int, default=4096)
    parser.add_argument("--layers", type=int, default=12)
    parser.add_argument("--hidden", type=int, default=768)
    parser.add_argument("--heads", type=int, default=12)
    parser.add_argument("--intermediate", type=int, default=3072)
    parser.add_argument("--dropout", type=float, default=0.1)
    args = parser.parse_args()
    speed_peer.set_up(args)
    batches = speed_peer.read_batches(args)
    model = PooledClassifier(args.vocab, args.layers, args.hidden, args.heads,
                                      args.intermediate, args.dropout, "cls", 2)
    weights = {torch_name(k): v for k, v in load_file(args.weights).items()}
    missing, unexpected = model.load_state_dict(weights, strict=False)
    # left to this side: the head, and the ALiBi slopes (a buffer computed from the head count)
    if unexpected or set(missing) != {"output.weight", "output.bias", "pooler.weight",
                                      "pooler.bias", "slopes"}:
        raise SystemExit(f"weights do not fit: missing {missing}, unexpected {unexpected}")
    encoder_parameters = sum(p.numel() for n, p in model.named_parameters()
                             if not n.startswith(("output.", "pooler.")))

    model.eval()
    forward_times = []
    forward_cpu = forward_wait = 0.0  # over the timed passes
    corners = []
    with torch.no_grad():
        for i in range(args.warmup + args.forward):
            ids, _ = batches[i % len(batches)]
            clock = speed_peer.process_clock()
            start = time.perf_counter()
            out = encode(model, ids)  # (B, L, H)
            corners = [out[0, 0, 0].item(), out[-1, -1, -1].item()]
            if i >= args.warmup:
                forward_times.append(time.perf_counter() - start)
                now = speed_peer.process_clock()
                forward_cpu += now[0] - clock[0]
                forward_wait += now[1] - clock[1]

    if args.steps > 0:
        captured = io.StringIO()
        with contextlib.redirect_stdout(captured):
            speed_peer.time_training(model, batches, args)  # its JSON line, captured
        training = json.loads(captured.getvalue().strip().splitlines()[-1])
        training["step_s_median"] = training["step_ms_median"] / 1000
    else:  # forward passes only
        training = {"impl": "pytorch-eager", "torch": torch.__version__,
                    "threads": torch.get_num_threads(),
                    "parameters": sum(p.numel() for p in model.parameters())}
    forward_times.sort()
    training.update({
        "encoder_parameters": encoder_parameters,
        "forward_s_median": forward_times[len(forward_times) // 2],
        "forward_wall_s": sum(forward_times),
        "forward_cpu_s": forward_cpu,
        "forward_wait_s": forward_wait,
        "first_value": corners[0],
        "last_value": corners[1],
        "peak_rss_mb": speed_peer.peak_rss_mb(),
    })
    print(json.dumps(training))


if __name__ == "__main__":
    main()
