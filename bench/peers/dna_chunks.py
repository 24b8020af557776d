"""The corpus chunking dnalab's BpeTrainer uses (io.dnalab.tokenize.CorpusChunks), for the peers.

DNA has no whitespace, so the corpus is cut into "words" the same way for every trainer:
read FASTA letters (lowercase -> uppercase, IUPAC ambiguity codes -> N), optionally only the
first MAX_BASES letters (N included); cut at every base that is not A/C/G/T and at record ends;
cut each ACGT run into chunks of CHUNK_LENGTH bases (the last one shorter).
"""
import gzip
import re

_IUPAC = str.maketrans("acgtnRYSWKMBDHVryswkmbdhv", "ACGTN" + "N" * 20)
_NOT_ACGT = re.compile(r"[^ACGT]+")


def _open(path):
    with open(path, "rb") as f:
        magic = f.read(2)
    return gzip.open(path, "rt") if magic == b"\x1f\x8b" else open(path, "rt")


def records(paths, max_bases=0):
    """Yields (name, letters) per FASTA record; stops after max_bases letters when > 0."""
    taken = 0
    for path in paths:
        name, parts = None, []
        with _open(path) as f:
            for line in f:
                if line.startswith(">"):
                    if name is not None:
                        yield name, "".join(parts)
                    name, parts = line[1:].split()[0] if line[1:].split() else "", []
                    continue
                if line.startswith(";"):
                    continue
                letters = "".join(line.split())
                if max_bases and taken + len(letters) >= max_bases:
                    parts.append(letters[: max_bases - taken])
                    yield name, "".join(parts)
                    return
                taken += len(letters)
                parts.append(letters)
        if name is not None:
            yield name, "".join(parts)


def chunks(paths, chunk_length=1000, max_bases=0):
    """Training chunks, exactly as dnalab's CorpusChunks cuts them."""
    for _, seq in records(paths, max_bases):
        seq = seq.translate(_IUPAC)
        for run in _NOT_ACGT.split(seq):
            for i in range(0, len(run), chunk_length):
                yield run[i : i + chunk_length]
