#!/usr/bin/env python3
"""Golden files for dnalab's tokenizers, produced by Hugging Face `tokenizers` (HfGoldenTest reads them).

Run from the repository root, after building the CLI (see runtime-java/README or ARCHITECTURE):

  python3 -m pip install --user tokenizers
  mvn -B -q -pl runtime-java package -DskipTests
  java -cp "runtime-java/target/classes:$(cat runtime-java/target/cli.classpath)" io.dnalab.cli.DnalabCli \
      tokenizer train --type bpe --vocab 1024 --max-bases 2000000 \
      --out runtime-java/src/test/resources/tokenize/dnalab_bpe_chr20_2mb_1024.json \
      "$DNALAB_DATA/genomes/human_GRCh37_chr20.fa.gz"
  DNALAB_DATA=../shared/datasets python3 runtime-java/src/test/resources/tokenize/generate_golden.py

Writes, beside this script:
  sequences.txt.gz               2,400 real sequences: 1,000 GUE prom_core_all test, 1,000 GUE tf_0 test,
                                 300 Drosophila chr2R windows (soft-masked lowercase kept), 100 human chr20
                                 windows across the N gap at the start of the chromosome
  hf_bpe_tf0_1024.json           BPE trained by Hugging Face on GUE tf_0 train (every sequence one chunk),
                                 vocab 1024, dnalab's special tokens, normalizer and [CLS] $A [SEP] template
  dnabert2_layout.json           the same vocabulary and merges in DNABERT-2's layout: [UNK]=0 [CLS]=1 [SEP]=2
                                 [PAD]=3 [MASK]=4, Whitespace pre-tokenizer, [CLS] $A [SEP] TemplateProcessing,
                                 no normalizer, merges as "A B" strings (older tokenizers versions). Source: the
                                 authors' tokenizer training script (BPE(unk_token="[UNK]"), BpeTrainer with
                                 "[UNK]" first, Whitespace, TemplateProcessing) posted in MAGICS-LAB/DNABERT_2
                                 issue #74, and pad id 3 in wrappers of zhihan1996/DNABERT-2-117M. The published
                                 file itself could not be fetched here (no network), so this is a rebuild.
  kmer6.json, kmer3_overlap.json, nucleotide.json
                                 WordLevel tokenizers built here in Python, same vocabulary order as dnalab
  *.ids.gz                       for each tokenizer, Hugging Face's ids (special tokens added), one line per
                                 line of sequences.txt.gz; the overlapping k-mer tokenizer is given DNABERT's
                                 space-separated k-mers; dnabert2_layout is given the sequence in uppercase
It also checks that the dnalab-trained tokenizer.json loads in Hugging Face, and that Hugging Face, trained
on the same chunks (bench/peers/dna_chunks.py), makes exactly the same merges.
"""
import csv
import gzip
import itertools
import json
import os
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[4]
sys.path.insert(0, str(ROOT / "bench" / "peers"))
from dna_chunks import chunks, records  # noqa: E402

from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers  # noqa: E402

DATA = Path(os.environ.get("DNALAB_DATA", ROOT.parent / "shared" / "datasets"))
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def gue(task, split):
    with gzip.open(DATA / "gue" / task / f"{split}.csv.gz", "rt") as f:
        return [row["sequence"] for row in csv.DictReader(f)]


def dnalab_normalizer():
    # dnalab's input policy (DnaAlphabet): soft-masked lowercase -> uppercase, IUPAC ambiguity codes -> N.
    return normalizers.Sequence([
        normalizers.Replace("a", "A"), normalizers.Replace("c", "C"),
        normalizers.Replace("g", "G"), normalizers.Replace("t", "T"),
        normalizers.Replace(Regex("[BDHKMNRSVWYbdhkmnrsvwy]"), "N"),
    ])


def cls_sep(vocab):
    return processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])])


def kmers(k):
    return ["".join(p) for p in itertools.product("ACGT", repeat=k)]


def word_level(tokens, pre):
    vocab = {t: i for i, t in enumerate(tokens)}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.normalizer = dnalab_normalizer()
    tok.pre_tokenizer = pre
    tok.post_processor = cls_sep(vocab)
    return tok


def write_ids(name, tok, lines):
    with gzip.open(HERE / f"{name}.ids.gz", "wt", compresslevel=9) as f:
        for enc in tok.encode_batch(lines):
            f.write(" ".join(map(str, enc.ids)) + "\n")


def main():
    rng = random.Random(20261121)
    seqs = gue("prom_core_all", "test")[:1000] + gue("tf_0", "test")[:1000]
    _, dm = next(records([DATA / "genomes" / "drosophila_dm_chr2R.fa.gz"], max_bases=3_000_000))
    for _ in range(300):
        start = rng.randrange(0, len(dm) - 300)
        seqs.append(dm[start:start + rng.randrange(50, 300)])
    _, hs = next(records([DATA / "genomes" / "human_GRCh37_chr20.fa.gz"], max_bases=120_000))
    first_base = next(i for i, c in enumerate(hs) if c != "N")
    for _ in range(100):
        start = rng.randrange(first_base - 250, first_base + 100)
        seqs.append(hs[start:start + rng.randrange(100, 400)])
    with gzip.open(HERE / "sequences.txt.gz", "wt", compresslevel=9) as f:
        f.write("\n".join(seqs) + "\n")

    # BPE trained by Hugging Face on GUE tf_0 train: every sequence (101 bp) is one chunk.
    corpus = list(chunks_of_sequences(gue("tf_0", "train")))
    hf = Tokenizer(models.BPE(unk_token="[UNK]"))
    hf.train_from_iterator(corpus, trainers.BpeTrainer(
        vocab_size=1024, special_tokens=SPECIALS, initial_alphabet=list("ACGNT"), show_progress=False))
    hf.normalizer = dnalab_normalizer()
    hf.post_processor = cls_sep(hf.get_vocab())
    hf.decoder = decoders.Fuse()
    hf.save(str(HERE / "hf_bpe_tf0_1024.json"))
    write_ids("hf_bpe_tf0_1024", hf, seqs)

    # DNABERT-2's layout with the same merges.
    data = json.loads(hf.to_str())
    order = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]
    old = data["model"]["vocab"]
    tokens = order + [t for t, _ in sorted(old.items(), key=lambda kv: kv[1]) if t not in order]
    vocab = {t: i for i, t in enumerate(tokens)}
    data["model"]["vocab"] = vocab
    data["model"]["merges"] = [" ".join(m) for m in data["model"]["merges"]]
    for key in ("byte_fallback", "ignore_merges"):
        data["model"].pop(key, None)
    data["added_tokens"] = [dict(id=vocab[t], content=t, single_word=False, lstrip=False, rstrip=False,
                                 normalized=False, special=True) for t in order]
    data["normalizer"] = None
    data["pre_tokenizer"] = {"type": "Whitespace"}
    data["decoder"] = None
    data["post_processor"] = None
    dnabert = Tokenizer.from_str(json.dumps(data))
    dnabert.post_processor = cls_sep(vocab)
    data["post_processor"] = json.loads(dnabert.to_str())["post_processor"]
    (HERE / "dnabert2_layout.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    dnabert = Tokenizer.from_file(str(HERE / "dnabert2_layout.json"))
    write_ids("dnabert2_layout", dnabert, [s.upper() for s in seqs])

    # WordLevel k-mer and nucleotide tokenizers, built independently of dnalab's Java code.
    kmer6 = word_level(SPECIALS + kmers(6) + list("ACGTN"), pre_tokenizers.Split(Regex("[ACGT]{6}|."), "isolated"))
    kmer6.decoder = decoders.Fuse()
    kmer6.save(str(HERE / "kmer6.json"))
    write_ids("kmer6", kmer6, seqs)
    kmer3 = word_level(SPECIALS + kmers(3), pre_tokenizers.WhitespaceSplit())
    kmer3.save(str(HERE / "kmer3_overlap.json"))
    # DNABERT's seq2kmer: the overlapping k-mers of the (normalized) sequence, space separated.
    upper = [s.upper() for s in seqs]
    write_ids("kmer3_overlap", kmer3, [" ".join(s[i:i + 3] for i in range(len(s) - 2)) for s in upper])
    nuc = word_level(SPECIALS + list("ACGTN"), pre_tokenizers.Split(Regex("."), "isolated"))
    nuc.decoder = decoders.Fuse()
    nuc.save(str(HERE / "nucleotide.json"))
    write_ids("nucleotide", nuc, seqs)

    # dnalab's own trained tokenizer: loads in Hugging Face; HF makes the same merges on the same chunks.
    ours_path = HERE / "dnalab_bpe_chr20_2mb_1024.json"
    ours = Tokenizer.from_file(str(ours_path))
    write_ids("dnalab_bpe_chr20_2mb_1024", ours, seqs)
    peer = Tokenizer(models.BPE(unk_token="[UNK]"))
    peer.train_from_iterator(chunks([DATA / "genomes" / "human_GRCh37_chr20.fa.gz"], 1000, 2_000_000),
                             trainers.BpeTrainer(vocab_size=1024, special_tokens=SPECIALS,
                                                 initial_alphabet=list("ACGNT"), show_progress=False))
    peer_model = json.loads(peer.to_str())["model"]
    ours_model = json.loads(ours_path.read_text())["model"]
    peer_merges = [" ".join(m) if isinstance(m, list) else m for m in peer_model["merges"]]
    assert peer_model["vocab"] == ours_model["vocab"], "vocabularies differ from Hugging Face's"
    assert peer_merges == ours_model["merges"], "merges differ from Hugging Face's"
    print(f"ok: {len(seqs)} sequences; dnalab's trained merges equal Hugging Face's ({len(peer_merges)})")


def chunks_of_sequences(seqs, chunk_length=1000):
    import re
    for s in seqs:
        for run in re.split(r"[^ACGT]+", s.upper()):
            for i in range(0, len(run), chunk_length):
                yield run[i:i + chunk_length]


if __name__ == "__main__":
    main()
