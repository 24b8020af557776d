#!/usr/bin/env python3
"""Peer side of `dnalab bench tokenizers`: Hugging Face tokenizers and SentencePiece BPE on dnalab's chunks.

One run = one tool: read the corpus with the chunking dnalab uses (dna_chunks.py), then either train
(all cores) and encode, or load a model trained earlier and only encode (to measure one thread: the
thread pools of both libraries are fixed when they start, hence a second process). Prints one JSON line:
  {"tool", "threads", "chunks", "bases", "train_s", "encode_s", "encode_mbps", "tokens",
   "bases_per_token", "peak_rss_mb", "model"}
"""
import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dna_chunks import chunks  # noqa: E402

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tool", choices=["hf", "spm"], required=True)
    p.add_argument("--fasta", required=True)
    p.add_argument("--max-bases", type=int, default=0)
    p.add_argument("--chunk-length", type=int, default=1000)
    p.add_argument("--vocab", type=int, default=4096)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--model", required=True, help="file to save the trained model to, or to load with --load")
    p.add_argument("--load", action="store_true", help="load --model instead of training")
    a = p.parse_args()
    # Both libraries size their thread pools from these when first used.
    os.environ["RAYON_NUM_THREADS"] = str(a.threads)
    os.environ["RAYON_RS_NUM_CPUS"] = str(a.threads)
    os.environ["TOKENIZERS_PARALLELISM"] = "true" if a.threads > 1 else "false"

    corpus = list(chunks([a.fasta], a.chunk_length, a.max_bases))
    bases = sum(map(len, corpus))
    train_s = None
    if a.tool == "hf":
        from tokenizers import Tokenizer, models, trainers
        if a.load:
            tok = Tokenizer.from_file(a.model)
        else:
            t0 = time.perf_counter()
            tok = Tokenizer(models.BPE(unk_token="[UNK]"))
            tok.train_from_iterator(corpus, trainers.BpeTrainer(
                vocab_size=a.vocab, special_tokens=SPECIALS, initial_alphabet=list("ACGNT"), show_progress=False))
            train_s = time.perf_counter() - t0
            tok.save(a.model)
        t0 = time.perf_counter()
        encoded = tok.encode_batch(corpus, add_special_tokens=False)
        encode_s = time.perf_counter() - t0
        tokens = sum(len(e.ids) for e in encoded)
    else:
        import sentencepiece as spm
        if not a.load:
            t0 = time.perf_counter()
            spm.SentencePieceTrainer.train(
                sentence_iterator=iter(corpus), model_prefix=a.model, model_type="bpe", vocab_size=a.vocab,
                character_coverage=1.0, add_dummy_prefix=False, split_by_whitespace=False,
                max_sentence_length=max(4192, a.chunk_length + 1), input_sentence_size=0,
                num_threads=a.threads, bos_id=-1, eos_id=-1, minloglevel=2)
            train_s = time.perf_counter() - t0
        sp = spm.SentencePieceProcessor(model_file=a.model + ".model")
        t0 = time.perf_counter()
        encoded = sp.encode(corpus, num_threads=a.threads)
        encode_s = time.perf_counter() - t0
        tokens = sum(len(e) for e in encoded)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(dict(tool=a.tool, threads=a.threads, chunks=len(corpus), bases=bases, train_s=train_s,
                          encode_s=encode_s, encode_mbps=bases / encode_s / 1e6, tokens=tokens,
                          bases_per_token=bases / tokens, peak_rss_mb=peak_mb, model=a.model)))


if __name__ == "__main__":
    main()
