#!/usr/bin/env python3
"""Checkpoint fixtures for dnalab's weight readers (io.dnalab.checkpoint; CheckpointWeightsTest reads them).

Run from the repository root:

  python3 -m pip install --user torch safetensors     # the CPU wheel is enough
  python3 runtime-java/src/test/resources/checkpoints/generate_checkpoints.py

The files are written by torch.save and safetensors themselves, so the Java readers are tested
against the real writers, not against a re-implementation of the formats. Fixed seed: the output
is the same on every run with the same torch version (2.13.0+cpu made the committed files).

Writes, beside this script:
  tiny.safetensors            F32 [3,4], F16 [8] (normal, subnormal, largest, -0, inf, nan), BF16 [2,3],
                              F64 [2], I64 [1,6], BOOL [4]; __metadata__ {"format": "pt"}
  sharded/                    model.safetensors.index.json + 2 shards, as transformers' save_pretrained
                              lays them out (weight_map of tensor -> shard file)
  torch/pytorch_model.bin     torch.save of a module's state_dict (Linear float32, Embedding float16,
                              LayerNorm bfloat16, its _metadata, hence BUILD) plus a transposed
                              view, a slice at a storage offset, an int64 buffer and a Parameter
  legacy/pytorch_model.bin    the same state dict in torch's legacy format (before torch 1.6, and with
                              _use_new_zipfile_serialization=False since): pickles, then raw storages.
                              Its storage keys are memory addresses, so this file (and
                              bad/truncated_legacy.bin) differ on every run; the values do not
  sharded_bin/                pytorch_model.bin.index.json + 2 torch.save shards
  malicious/os_system.bin     a torch-style zip whose data.pkl is GLOBAL 'os system' REDUCE
                              ('echo ... > /tmp/dnalab-pickle-payload-ran',): plain pickle.load would
                              run the shell command; torch.load(weights_only=True) refuses it
  malicious/nested_eval.bin   a valid-looking state dict whose second tensor is rebuilt by
                              GLOBAL 'builtins eval' instead of torch._utils._rebuild_tensor_v2
  bad/                        truncated_data.safetensors (cut inside the last tensor),
                              truncated_header.safetensors (cut inside the JSON header),
                              dtype_mismatch.safetensors (header says F16 for F32 bytes),
                              unsupported_dtype.safetensors (F8_E4M3), truncated.bin (zip cut in half),
                              truncated_legacy.bin (legacy file without its last 5 bytes),
                              short_storage.bin (one storage 4 bytes short)
  configs/dnabert2/config.json
                              DNABERT-2's config.json fields as published for zhihan1996/DNABERT-2-117M
                              (MosaicBERT remote code: auto_map into bert_layers, alibi_starting_size),
                              written here from the model card's layout, tiny sizes
  configs/dnabert6/config.json
                              transformers' BertConfig.save_pretrained, DNABERT 6-mer vocabulary size
                              with vocab.txt.gz (DNABERT's layout: [PAD] [UNK] [CLS] [SEP] [MASK], then
                              the 4096 6-mers; gzipped to keep the fixtures small) and
                              tokenizer_config.json (BertTokenizer, do_lower_case false)
  dnabert6.ids.gz             transformers' BertTokenizer ids for every 10th line of
                              ../tokenize/sequences.txt.gz (after dnalab's input policy), given the
                              space-separated overlapping 6-mers as DNABERT's seq2kmer writes them
  configs/nt_v1/              transformers' EsmConfig.save_pretrained in NT v1's layout (absolute
                              positions, emb_layer_norm_before false, token_dropout false), with
                              vocab.txt (<unk> <pad> <mask> <cls> <eos> <bos>, the 4096 6-mers, then
                              A T C G N), tokenizer_config.json (EsmTokenizer, eos_token null: NT adds
                              no <eos>) and special_tokens_map.json
  nt_v1.ids.gz                transformers' EsmTokenizer ids (from configs/nt_v1) for each line of
                              ../tokenize/sequences.txt.gz, after dnalab's input policy (uppercase,
                              IUPAC codes -> N), one line each
  expected.json               for each readable fixture: tensor -> dtype, shape, and the values as
                              float32 bit patterns (floating types) or integers, in row-major order
"""
import gzip
import itertools
import json
import re
import pickletools
import shutil
import struct
import zipfile
from collections import OrderedDict
from pathlib import Path

import torch
from safetensors.torch import save_file
from transformers import BertConfig, BertTokenizer, EsmConfig, EsmTokenizer

HERE = Path(__file__).resolve().parent
PAYLOAD_MARKER = "/tmp/dnalab-pickle-payload-ran"


def expected_of(state):
    out = OrderedDict()
    for name, t in state.items():
        t = t.detach().contiguous()
        entry = {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape)}
        if t.is_floating_point():
            # float32 bit patterns: exact, and NaN/inf need no JSON extension.
            bits = t.to(torch.float32).reshape(-1).view(torch.int32).tolist()
            entry["float32_bits"] = [b & 0xFFFFFFFF for b in bits]
        else:
            entry["values"] = t.to(torch.int64).reshape(-1).tolist()
        out[name] = entry
    return out


def tiny_state(g):
    return OrderedDict([
        ("embeddings.weight", torch.randn(3, 4, generator=g)),
        # float16 specials: 1/3 rounded, smallest subnormal 2^-24, largest 65504, -0, inf, nan.
        ("layer.bias", torch.tensor([1 / 3, -2.5, 2 ** -24, 65504.0, -0.0, float("inf"), float("nan"), 1e-3],
                                    dtype=torch.float16)),
        ("layer.scale", torch.randn(2, 3, generator=g).to(torch.bfloat16)),
        ("layer.double", torch.tensor([0.1, -1e-40], dtype=torch.float64)),
        ("position_ids", torch.arange(6, dtype=torch.int64).reshape(1, 6) - 2),
        ("mask", torch.tensor([True, False, False, True])),
    ])


def torch_state(g):
    module = torch.nn.Module()
    module.dense = torch.nn.Linear(4, 3)
    module.embed = torch.nn.Embedding(5, 2).half()
    module.norm = torch.nn.LayerNorm(3).to(torch.bfloat16)
    module.register_buffer("position_ids", torch.arange(7).reshape(1, 7))
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=g).to(p.dtype))
    state = module.state_dict()  # an OrderedDict carrying _metadata: pickled with BUILD
    base = torch.randn(10, generator=g)
    state["views.transposed"] = torch.randn(3, 2, generator=g).t()  # strides (1, 2)
    state["views.slice"] = base[3:7]  # storage offset 3, storage shared with views.base
    state["views.base"] = base
    state["param"] = torch.nn.Parameter(torch.randn(2, 2, generator=g))  # _rebuild_parameter
    return state


def write_entry(z, name, data):
    # A fixed timestamp, so that regenerating leaves unchanged files byte-identical.
    z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)


def torch_zip(path, pickle_bytes, storages=()):
    """A zip laid out as torch.save writes it, with a pickle of our own."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        write_entry(z, "archive/data.pkl", pickle_bytes)
        write_entry(z, "archive/byteorder", "little")
        for key, data in storages:
            write_entry(z, f"archive/data/{key}", data)
        write_entry(z, "archive/version", "3\n")


def binunicode(s):
    b = s.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def os_system_pickle():
    # GLOBAL 'os system', then REDUCE with one string argument: pickle.load would call os.system.
    return (b"\x80\x02" + b"cos\nsystem\n" + b"(" + binunicode(f"echo ran > {PAYLOAD_MARKER}") + b"tR.")


def nested_eval_pickle():
    # {'a': <float tensor>, 'b': eval('__import__("os").system(...)')}: the global sits inside the dict.
    storage_id = (b"(" + binunicode("storage") + b"ctorch\nFloatStorage\n" + binunicode("0")
                  + binunicode("cpu") + b"K\x02tQ")
    tensor_a = (b"ctorch._utils\n_rebuild_tensor_v2\n(" + storage_id + b"K\x00K\x02\x85K\x01\x85\x89}tR")
    evil = b"cbuiltins\neval\n(" + binunicode(f"__import__('os').system('echo ran > {PAYLOAD_MARKER}')") + b"tR"
    return (b"\x80\x02ccollections\nOrderedDict\n)R(" + binunicode("a") + tensor_a + binunicode("b") + evil + b"u.")


DNABERT2_CONFIG = {
    # The fields of zhihan1996/DNABERT-2-117M's config.json; sizes shrunk (published: 768, 12, 12, 3072).
    "_name_or_path": "zhihan1996/DNABERT-2-117M",
    "alibi_starting_size": 512,
    "architectures": ["BertForMaskedLM"],
    "attention_probs_dropout_prob": 0.0,
    "auto_map": {
        "AutoConfig": "configuration_bert.BertConfig",
        "AutoModel": "bert_layers.BertModel",
        "AutoModelForMaskedLM": "bert_layers.BertForMaskedLM",
        "AutoModelForSequenceClassification": "bert_layers.BertForSequenceClassification",
    },
    "classifier_dropout": None,
    "gradient_checkpointing": False,
    "hidden_act": "gelu",
    "hidden_dropout_prob": 0.1,
    "hidden_size": 24,
    "initializer_range": 0.02,
    "intermediate_size": 48,
    "layer_norm_eps": 1e-12,
    "max_position_embeddings": 512,
    "model_type": "bert",
    "num_attention_heads": 4,
    "num_hidden_layers": 2,
    "position_embedding_type": "absolute",
    "torch_dtype": "float32",
    "transformers_version": "4.28.0",
    "type_vocab_size": 2,
    "use_cache": True,
    "vocab_size": 4096,
}


def dnalab_policy(sequence):
    """dnalab's input policy (DnaAlphabet): lowercase read as uppercase, IUPAC ambiguity codes as N."""
    return re.sub("[RYSWKMBDHV]", "N", sequence.upper())


def seq2kmer(sequence, k):
    """DNABERT's motif_utils.seq2kmer: the overlapping k-mers, space-separated."""
    return " ".join(sequence[i:i + k] for i in range(len(sequence) + 1 - k))


def write_configs_and_nt_tokenizer():
    configs = HERE / "configs"
    shutil.rmtree(configs, ignore_errors=True)
    (configs / "dnabert2").mkdir(parents=True)
    (configs / "dnabert2" / "config.json").write_text(json.dumps(DNABERT2_CONFIG, indent=2) + "\n")
    BertConfig(vocab_size=4101, hidden_size=24, num_hidden_layers=2, num_attention_heads=4, intermediate_size=48,
               max_position_embeddings=512).save_pretrained(configs / "dnabert6")
    nt = configs / "nt_v1"
    EsmConfig(vocab_size=4107, pad_token_id=1, mask_token_id=2, hidden_size=32, num_hidden_layers=2,
              num_attention_heads=4, intermediate_size=64, max_position_embeddings=1002,
              position_embedding_type="absolute", emb_layer_norm_before=False, token_dropout=False,
              hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0).save_pretrained(nt)
    specials = ["<unk>", "<pad>", "<mask>", "<cls>", "<eos>", "<bos>"]
    kmers = ["".join(p) for p in itertools.product("ATCG", repeat=6)]
    (nt / "vocab.txt").write_text("\n".join(specials + kmers + list("ATCGN")) + "\n")
    (nt / "tokenizer_config.json").write_text(json.dumps(
        {"model_max_length": 1000, "tokenizer_class": "EsmTokenizer", "eos_token": None}, indent=2) + "\n")
    (nt / "special_tokens_map.json").write_text(json.dumps(
        {"cls_token": "<cls>", "mask_token": "<mask>", "pad_token": "<pad>", "unk_token": "<unk>"}, indent=2) + "\n")
    tokenizer = EsmTokenizer.from_pretrained(nt)
    assert tokenizer.eos_token is None, tokenizer.eos_token
    with gzip.open(HERE.parent / "tokenize" / "sequences.txt.gz", "rt") as f:
        sequences = [dnalab_policy(line.rstrip("\n")) for line in f]
    assert all(set(s) <= set("ACGTN") for s in sequences)
    lines = "".join(" ".join(map(str, tokenizer(s)["input_ids"])) + "\n" for s in sequences)
    (HERE / "nt_v1.ids.gz").write_bytes(gzip.compress(lines.encode(), compresslevel=9, mtime=0))
    # DNABERT: BertTokenizer over vocab.txt ([PAD] [UNK] [CLS] [SEP] [MASK], the 4096 6-mers), given the
    # space-separated overlapping 6-mers as DNABERT's seq2kmer writes them; every 10th sequence.
    db = configs / "dnabert6"
    vocab = "\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + ["".join(p) for p in itertools.product("ACGT", repeat=6)]) + "\n"
    (db / "vocab.txt").write_text(vocab)
    (db / "tokenizer_config.json").write_text(json.dumps(
        {"do_lower_case": False, "model_max_length": 512, "tokenizer_class": "BertTokenizer"}, indent=2) + "\n")
    bert = BertTokenizer.from_pretrained(db)
    assert not bert.do_lower_case
    lines = "".join(" ".join(map(str, bert(seq2kmer(s, 6))["input_ids"])) + "\n" for s in sequences[::10])
    (HERE / "dnabert6.ids.gz").write_bytes(gzip.compress(lines.encode(), compresslevel=9, mtime=0))
    # The 29 kB vocabulary ships compressed (fixtures stay under 200 kB); the test unpacks it beside config.json.
    (db / "vocab.txt.gz").write_bytes(gzip.compress(vocab.encode(), compresslevel=9, mtime=0))
    (db / "vocab.txt").unlink()

    example = tokenizer("ACGTACGTNACGTAAAAAAC")["input_ids"]
    print("EsmTokenizer, ACGTACGTNACGTAAAAAAC:", example, tokenizer.convert_ids_to_tokens(example))


def main():
    g = torch.Generator().manual_seed(13)
    expected = OrderedDict()

    tiny = tiny_state(g)
    save_file(tiny, HERE / "tiny.safetensors", metadata={"format": "pt"})
    expected["tiny.safetensors"] = expected_of(tiny)

    sharded = OrderedDict([
        ("encoder.layer.0.weight", torch.randn(2, 3, generator=g)),
        ("encoder.layer.0.bias", torch.randn(2, generator=g).half()),
        ("encoder.layer.1.weight", torch.randn(3, 2, generator=g)),
    ])
    shard_dir = HERE / "sharded"
    shutil.rmtree(shard_dir, ignore_errors=True)
    shard_dir.mkdir()
    shards = {"model-00001-of-00002.safetensors": ["encoder.layer.0.weight", "encoder.layer.0.bias"],
              "model-00002-of-00002.safetensors": ["encoder.layer.1.weight"]}
    weight_map = {}
    for shard, names in shards.items():
        save_file({n: sharded[n] for n in names}, shard_dir / shard, metadata={"format": "pt"})
        weight_map.update({n: shard for n in names})
    total = sum(t.numel() * t.element_size() for t in sharded.values())
    (shard_dir / "model.safetensors.index.json").write_text(
        json.dumps({"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))}, indent=2) + "\n")
    expected["sharded"] = expected_of(sharded)

    state = torch_state(g)
    torch_dir = HERE / "torch"
    torch_dir.mkdir(exist_ok=True)
    torch.save(state, torch_dir / "pytorch_model.bin")
    expected["torch/pytorch_model.bin"] = expected_of(state)
    # The restricted reader's opcodes and globals must cover what torch.save wrote: list them.
    with zipfile.ZipFile(torch_dir / "pytorch_model.bin") as z:
        ops = sorted({op.name for op, _, _ in pickletools.genops(z.read("pytorch_model/data.pkl"))})
    print("opcodes torch.save used:", ", ".join(ops))

    # torch's format before 1.6 (DNABERT-era checkpoints): a run of pickles, then the raw storages.
    legacy_dir = HERE / "legacy"
    legacy_dir.mkdir(exist_ok=True)
    torch.save(state, legacy_dir / "pytorch_model.bin", _use_new_zipfile_serialization=False)
    expected["legacy/pytorch_model.bin"] = expected_of(state)

    bin_dir = HERE / "sharded_bin"
    shutil.rmtree(bin_dir, ignore_errors=True)
    bin_dir.mkdir()
    bin_shards = {"pytorch_model-00001-of-00002.bin": ["encoder.layer.0.weight"],
                  "pytorch_model-00002-of-00002.bin": ["encoder.layer.0.bias", "encoder.layer.1.weight"]}
    bin_map = {}
    for shard, names in bin_shards.items():
        torch.save(OrderedDict((n, sharded[n]) for n in names), bin_dir / shard)
        bin_map.update({n: shard for n in names})
    (bin_dir / "pytorch_model.bin.index.json").write_text(
        json.dumps({"metadata": {"total_size": total}, "weight_map": dict(sorted(bin_map.items()))}, indent=2) + "\n")
    expected["sharded_bin"] = expected_of(sharded)

    bad_dir = HERE / "malicious"
    bad_dir.mkdir(exist_ok=True)
    torch_zip(bad_dir / "os_system.bin", os_system_pickle())
    torch_zip(bad_dir / "nested_eval.bin", nested_eval_pickle(), [("0", struct.pack("<2f", 1.5, -2.0))])
    for name in ["os_system.bin", "nested_eval.bin"]:
        with zipfile.ZipFile(bad_dir / name) as z:
            globals_used = [arg for op, arg, _ in pickletools.genops(z.read("archive/data.pkl")) if op.name == "GLOBAL"]
        print(name, "globals:", globals_used)
        try:
            torch.load(bad_dir / name, weights_only=True)
            raise SystemExit(f"torch.load(weights_only=True) accepted {name}")
        except Exception as e:  # noqa: BLE001 - torch raises UnpicklingError wrapped in various types
            print(name, "refused by torch.load(weights_only=True):", type(e).__name__)

    bad = HERE / "bad"
    bad.mkdir(exist_ok=True)
    tiny_bytes = (HERE / "tiny.safetensors").read_bytes()
    (bad / "truncated_data.safetensors").write_bytes(tiny_bytes[:-3])
    (bad / "truncated_header.safetensors").write_bytes(tiny_bytes[:40])
    one = {"weight": torch.randn(2, 2, generator=g)}
    save_file(one, bad / "dtype_mismatch.safetensors")
    raw = (bad / "dtype_mismatch.safetensors").read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]

    def rewrite(path, header):
        text = json.dumps(header, separators=(",", ":")).encode()
        path.write_bytes(struct.pack("<Q", len(text)) + text + data)

    rewrite(bad / "dtype_mismatch.safetensors", {"weight": dict(header["weight"], dtype="F16")})
    rewrite(bad / "unsupported_dtype.safetensors", {"weight": dict(header["weight"], dtype="F8_E4M3")})
    legacy_bytes = (legacy_dir / "pytorch_model.bin").read_bytes()
    (bad / "truncated_legacy.bin").write_bytes(legacy_bytes[:-5])
    bin_bytes = (torch_dir / "pytorch_model.bin").read_bytes()
    (bad / "truncated.bin").write_bytes(bin_bytes[:len(bin_bytes) // 2])
    with zipfile.ZipFile(torch_dir / "pytorch_model.bin") as src, \
            zipfile.ZipFile(bad / "short_storage.bin", "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "pytorch_model/data/0":
                content = content[:-4]
            write_entry(dst, info.filename, content)

    write_configs_and_nt_tokenizer()

    (HERE / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    size = sum(p.stat().st_size for p in HERE.rglob("*") if p.is_file())
    print(f"fixtures: {size} bytes in total")


if __name__ == "__main__":
    main()
