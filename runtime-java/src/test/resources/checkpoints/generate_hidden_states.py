#!/usr/bin/env python3
"""Hidden-state goldens for dnalab's pretrained-checkpoint loader (io.dnalab.model.PretrainedCheckpoints;
PretrainedCheckpointsTest reads them).

Run from the repository root (torch 2.13.0+cpu and transformers 5.18.0 made the committed files):

  python3 -m pip install --user torch transformers safetensors
  python3 runtime-java/src/test/resources/checkpoints/generate_hidden_states.py

For each public checkpoint layout it builds a tiny model with random weights, saves it as the hub ships it
(config.json, tokenizer files, model.safetensors AND pytorch_model.bin, same values; the masked-LM decoder is
tied to the word embedding, stored once), and runs real GUE
sequences of mixed lengths (70, 101 and 300 bases), batched and padded to the longest, through the reference
implementation:

  models/dnabert2/   DNABERT-2's MosaicBERT layout. Reference: Dnabert2Reference below, plain PyTorch written
                     from zhihan1996/DNABERT-2-117M's bert_layers.py (MosaicBERT): embeddings (word + token type
                     0, LayerNorm); per layer Wqkv, ALiBi bias with _get_alibi_head_slopes (3 heads: not a power
                     of two, so the interleaved slopes are exercised) + (1 - mask) * -10000, softmax, output dense,
                     LayerNorm(x + a); GEGLU mlp.gated_layers (no bias), act(gated) * non_gated, mlp.wo,
                     mlp.layernorm(x + f); the unpadded tokens go through the linear layers (unpad_input) and
                     padding comes back as zeros (pad_input), as bert_layers.py does. The state dict is
                     BertForMaskedLM's names (bert.*, bert.pooler.*, cls.predictions.*). Tokenizer: the BPE
                     tokenizer.json in DNABERT-2's layout ([CLS] $A [SEP]) from ../tokenize/dnabert2_layout.json;
                     config vocab_size 1024 = its ids.
  models/dnabert6/   DNABERT (6-mer): transformers' BertForMaskedLM (eager attention), vocab.txt as DNABERT's,
                     BertTokenizer on the space-separated overlapping 6-mers (seq2kmer).
  models/nt_v1/      Nucleotide Transformer v1: transformers' EsmForMaskedLM (absolute positions,
                     emb_layer_norm_before false, token_dropout false), NT's vocab.txt and EsmTokenizer.
  models/<name>.hidden.json.gz
                     {"sequences", "input_ids" (B, L padded), "attention_mask" (B, L),
                      "last_hidden_state" (B, L, H), "mean_pooled" (B, H) = sum(h * mask) / sum(mask),
                      "hidden_states_1" (B, L, H) = after the first layer}; padded positions of the hidden
                     states are written as 0 (dnalab zeroes them; bert_layers.py does too).

Weights are drawn wider than the models' initialisation (weights N(0, 0.3), LayerNorm gains 1 + N(0, 0.1),
biases N(0, 0.1)) so that attention is far from uniform and each part of the layout moves the outputs.
"""
import csv
import gzip
import json
import math
import shutil
from pathlib import Path

import torch
from safetensors.torch import save_file
from torch import nn
from transformers import BertConfig, BertForMaskedLM, BertTokenizer, EsmConfig, EsmForMaskedLM, EsmTokenizer

HERE = Path(__file__).resolve().parent
MODELS = HERE / "models"
GUE = Path("/work/shared/datasets/gue")


def gue_sequences():
    """Two tf_0 (101 bp), two prom_core_all (70 bp), one prom_300_all (300 bp): the first rows of dev.csv."""
    picks = [("tf_0", 2), ("prom_core_all", 2), ("prom_300_all", 1)]
    out = []
    for task, n in picks:
        with gzip.open(GUE / task / "dev.csv.gz", "rt") as f:
            rows = list(csv.DictReader(f))
        out += [r["sequence"] for r in rows[:n]]
    # Interleave lengths so that padding falls in the middle of the batch, not only at its end.
    return [out[0], out[4], out[2], out[1], out[3]]


def randomize(model, g):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm" in name or "layernorm" in name or "layer_norm" in name:
                p.copy_(1 + 0.1 * torch.randn(p.shape, generator=g) if name.endswith("weight")
                        else 0.1 * torch.randn(p.shape, generator=g))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.3 * torch.randn(p.shape, generator=g))


def save_weights(state, folder):
    """pytorch_model.bin as torch.save writes a state dict (a tied decoder shares the embedding's storage) and
    model.safetensors as save_pretrained writes it (a tied tensor is kept once, under its first name)."""
    torch.save(state, folder / "pytorch_model.bin")
    seen, unique = set(), {}
    for k, v in state.items():
        if v.data_ptr() not in seen:
            seen.add(v.data_ptr())
            unique[k] = v.detach().contiguous()
    save_file(unique, folder / "model.safetensors", metadata={"format": "pt"})


def round_list(t, digits=7):
    return [round(x, digits) for x in t.tolist()] if t.dim() == 1 else [round_list(x, digits) for x in t]


def write_golden(name, sequences, ids, mask, last, first):
    m = mask.unsqueeze(-1).float()
    last = last * m
    first = first * m
    mean = last.sum(1) / m.sum(1)
    golden = {"sequences": sequences, "input_ids": ids.tolist(), "attention_mask": mask.tolist(),
              "last_hidden_state": round_list(last), "mean_pooled": round_list(mean),
              "hidden_states_1": round_list(first)}
    (MODELS / f"{name}.hidden.json.gz").write_bytes(
        gzip.compress(json.dumps(golden, separators=(",", ":")).encode(), compresslevel=9, mtime=0))
    print(f"{name}: ids {tuple(ids.shape)}, hidden {tuple(last.shape)}, |h| max {last.abs().max():.3f}")


# ---------------------------------------------------------------------------------------------------------------
# DNABERT-2: plain-PyTorch reference of bert_layers.py (MosaicBERT), inference path without Triton.

def alibi_head_slopes(n_heads):
    """bert_layers.py's _get_alibi_head_slopes."""
    def power_of_2(n):
        start = 2 ** (-2 ** -(math.log2(n) - 3))
        return [start * start ** i for i in range(n)]
    if math.log2(n_heads).is_integer():
        return power_of_2(n_heads)
    closest = 2 ** math.floor(math.log2(n_heads))
    return power_of_2(closest) + alibi_head_slopes(2 * closest)[0::2][:n_heads - closest]


class Dnabert2Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads, self.hidden, self.inter = c["num_attention_heads"], c["hidden_size"], c["intermediate_size"]
        eps = c["layer_norm_eps"]
        self.attention = nn.Module()
        self.attention.self = nn.Module()
        self.attention.self.Wqkv = nn.Linear(self.hidden, 3 * self.hidden)
        self.attention.output = nn.Module()
        self.attention.output.dense = nn.Linear(self.hidden, self.hidden)
        self.attention.output.LayerNorm = nn.LayerNorm(self.hidden, eps=eps)
        self.mlp = nn.Module()
        self.mlp.gated_layers = nn.Linear(self.hidden, 2 * self.inter, bias=False)
        self.mlp.wo = nn.Linear(self.inter, self.hidden)
        self.mlp.layernorm = nn.LayerNorm(self.hidden, eps=eps)

    def forward(self, x, indices, batch, seqlen, bias, mask):
        # x: (nnz, H), the unpadded tokens (bert_padding.unpad_input)
        qkv = self.attention.self.Wqkv(x)  # (nnz, 3H)
        padded = x.new_zeros(batch * seqlen, 3 * self.hidden)
        padded[indices] = qkv  # pad_input: (B*L, 3H)
        d = self.hidden // self.heads
        qkv = padded.view(batch, seqlen, 3, self.heads, d)
        q = qkv[:, :, 0].permute(0, 2, 1, 3)  # b h s d
        k = qkv[:, :, 1].permute(0, 2, 3, 1)  # b h d s
        v = qkv[:, :, 2].permute(0, 2, 1, 3)  # b h s d
        scores = torch.matmul(q, k) / math.sqrt(d) + bias
        probs = torch.softmax(scores, dim=-1)
        attention = torch.matmul(probs, v).permute(0, 2, 1, 3)  # b s h d
        attention = attention.reshape(batch * seqlen, self.hidden)[indices]  # unpad_input_only: (nnz, H)
        x = self.attention.output.LayerNorm(self.attention.output.dense(attention) + x)
        h = self.mlp.gated_layers(x)
        f = nn.functional.gelu(h[:, :self.inter]) * h[:, self.inter:]
        return self.mlp.layernorm(self.mlp.wo(f) + x)


class Dnabert2Reference(nn.Module):
    """BertForMaskedLM of bert_layers.py: bert (embeddings, encoder, pooler) and cls.predictions."""

    def __init__(self, c):
        super().__init__()
        h = c["hidden_size"]
        self.heads = c["num_attention_heads"]
        self.bert = nn.Module()
        self.bert.embeddings = nn.Module()
        self.bert.embeddings.word_embeddings = nn.Embedding(c["vocab_size"], h, padding_idx=c.get("pad_token_id", 0))
        self.bert.embeddings.token_type_embeddings = nn.Embedding(c["type_vocab_size"], h)
        self.bert.embeddings.LayerNorm = nn.LayerNorm(h, eps=c["layer_norm_eps"])
        self.bert.encoder = nn.Module()
        self.bert.encoder.layer = nn.ModuleList(Dnabert2Layer(c) for _ in range(c["num_hidden_layers"]))
        self.bert.pooler = nn.Module()
        self.bert.pooler.dense = nn.Linear(h, h)
        self.cls = nn.Module()
        self.cls.predictions = nn.Module()
        self.cls.predictions.transform = nn.Module()
        self.cls.predictions.transform.dense = nn.Linear(h, h)
        self.cls.predictions.transform.LayerNorm = nn.LayerNorm(h, eps=c["layer_norm_eps"])
        self.cls.predictions.decoder = nn.Linear(h, c["vocab_size"])
        self.cls.predictions.decoder.weight = self.bert.embeddings.word_embeddings.weight  # tied, as BERT's

    def forward(self, ids, mask):
        """Hidden states after each layer, (B, L, H), padding zero; [0] is the embedding output."""
        batch, seqlen = ids.shape
        e = self.bert.embeddings
        x = e.LayerNorm(e.word_embeddings(ids) + e.token_type_embeddings(torch.zeros_like(ids)))
        extended = (1.0 - mask[:, None, None, :].float()) * -10000.0
        pos = torch.arange(seqlen)
        relative = (pos[None, :] - pos[:, None]).abs().unsqueeze(0).expand(self.heads, -1, -1)
        alibi = (torch.tensor(alibi_head_slopes(self.heads)).unsqueeze(1).unsqueeze(1) * -relative).unsqueeze(0)
        bias = extended + alibi
        indices = torch.nonzero(mask.flatten(), as_tuple=False).flatten()
        x = x.reshape(batch * seqlen, -1)[indices]

        def padded(t):
            out = t.new_zeros(batch * seqlen, t.shape[-1])
            out[indices] = t
            return out.view(batch, seqlen, -1)

        states = [padded(x)]
        for layer in self.bert.encoder.layer:
            x = layer(x, indices, batch, seqlen, bias, mask)
            states.append(padded(x))
        return states


def dnabert2(sequences, g):
    folder = MODELS / "dnabert2"
    folder.mkdir(parents=True)
    tokenizer_json = json.loads((HERE.parent / "tokenize" / "dnabert2_layout.json").read_text())
    vocab_size = len(tokenizer_json["model"]["vocab"])
    config = json.loads((HERE / "configs" / "dnabert2" / "config.json").read_text())
    config.update(hidden_size=12, num_attention_heads=3, intermediate_size=20, num_hidden_layers=2,
                  vocab_size=vocab_size)
    (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    (folder / "tokenizer.json").write_text(json.dumps(tokenizer_json, indent=2, ensure_ascii=False) + "\n")
    model = Dnabert2Reference(config).eval()
    randomize(model, g)
    save_weights(model.state_dict(), folder)
    from tokenizers import Tokenizer
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    encodings = tokenizer.encode_batch(sequences)
    length = max(len(e.ids) for e in encodings)
    pad = tokenizer_json["model"]["vocab"]["[PAD]"]
    ids = torch.tensor([e.ids + [pad] * (length - len(e.ids)) for e in encodings])
    mask = torch.tensor([[1] * len(e.ids) + [0] * (length - len(e.ids)) for e in encodings])
    with torch.no_grad():
        states = model(ids, mask)
    write_golden("dnabert2", sequences, ids, mask, states[-1], states[1])


def seq2kmer(sequence, k):
    """DNABERT's motif_utils.seq2kmer: the overlapping k-mers, space-separated."""
    return " ".join(sequence[i:i + k] for i in range(len(sequence) + 1 - k))


def transformers_model(name, model, tokenizer, texts, sequences, g):
    folder = MODELS / name
    model.eval()
    randomize(model, g)
    model.config.save_pretrained(folder)
    save_weights(model.state_dict(), folder)
    batch = tokenizer(texts, padding="longest", return_tensors="pt")
    with torch.no_grad():
        out = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                    output_hidden_states=True)
    write_golden(name, sequences, batch["input_ids"], batch["attention_mask"], out.hidden_states[-1],
                 out.hidden_states[1])


def dnabert6(sequences, g):
    folder = MODELS / "dnabert6"
    folder.mkdir(parents=True)
    with gzip.open(HERE / "configs" / "dnabert6" / "vocab.txt.gz", "rt") as f:
        (folder / "vocab.txt").write_text(f.read())
    shutil.copy(HERE / "configs" / "dnabert6" / "tokenizer_config.json", folder)
    tokenizer = BertTokenizer.from_pretrained(folder)
    config = BertConfig(vocab_size=4101, hidden_size=8, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=16, max_position_embeddings=320, hidden_act="gelu", pad_token_id=0)
    model = BertForMaskedLM(config)
    model.config._attn_implementation = "eager"
    transformers_model("dnabert6", model, tokenizer, [seq2kmer(s, 6) for s in sequences], sequences, g)


def nt_v1(sequences, g):
    folder = MODELS / "nt_v1"
    folder.mkdir(parents=True)
    for name in ["vocab.txt", "tokenizer_config.json", "special_tokens_map.json"]:
        shutil.copy(HERE / "configs" / "nt_v1" / name, folder)
    tokenizer = EsmTokenizer.from_pretrained(folder)
    config = EsmConfig(vocab_size=4107, pad_token_id=1, mask_token_id=2, hidden_size=8, num_hidden_layers=2,
                       num_attention_heads=2, intermediate_size=16, max_position_embeddings=64,
                       position_embedding_type="absolute", emb_layer_norm_before=False, token_dropout=False,
                       hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, layer_norm_eps=1e-12)
    model = EsmForMaskedLM(config)
    model.config._attn_implementation = "eager"
    transformers_model("nt_v1", model, tokenizer, sequences, sequences, g)


def main():
    torch.manual_seed(13)
    g = torch.Generator().manual_seed(13)
    shutil.rmtree(MODELS, ignore_errors=True)
    MODELS.mkdir()
    sequences = gue_sequences()
    print("lengths:", [len(s) for s in sequences])
    dnabert2(sequences, g)
    dnabert6(sequences, g)
    nt_v1(sequences, g)
    total = sum(p.stat().st_size for p in HERE.rglob("*") if p.is_file())
    print(f"checkpoint fixtures in all: {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
