#!/usr/bin/env python3
"""Writes datasets/catalog.json.

The metadata below is written by hand from the official sources named in each entry; every figure
that could not be checked against a source is null. Checksums and split sizes of the GUE files are
computed from the copies in $DNALAB_DATA/gue (sha256 of the UNCOMPRESSED CSV, so .csv and .csv.gz
copies verify alike); a split that is absent there keeps sha256 null.

    DNALAB_DATA=../shared/datasets python3 datasets/make_catalog.py
"""
import gzip
import hashlib
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = Path(os.environ.get("DNALAB_DATA", HERE.parent.parent / "shared" / "datasets"))

GUE_CITATION = ("Zhou Z, Ji Y, Li W, Dutta P, Davuluri RV, Liu H. DNABERT-2: Efficient Foundation "
                "Model and Benchmark For Multi-Species Genome. ICLR 2024. arXiv:2306.15006")

# name in dnalab -> (folder inside GUE.zip, length (min, max) or None, classes, description)
GUE_TASKS = {}
for v in ["all", "notata", "tata"]:
    GUE_TASKS[f"prom_core_{v}"] = (f"GUE/prom/prom_core_{v}", (70, 70), 2,
                                   f"human core promoter detection ({v}), 70 bp")
    GUE_TASKS[f"prom_300_{v}"] = (f"GUE/prom/prom_300_{v}", (300, 300), 2,
                                  f"human promoter detection ({v}), 300 bp")
for i in range(5):
    GUE_TASKS[f"tf_{i}"] = (f"GUE/tf/{i}", (101, 101), 2,
                            f"human transcription factor binding site prediction, dataset {i}")
for i in range(5):
    GUE_TASKS[f"mouse_{i}"] = (f"GUE/mouse/{i}", None, 2,
                               f"mouse transcription factor binding site prediction, dataset {i}")
for mark in ["H3", "H3K14ac", "H3K36me3", "H3K4me1", "H3K4me2", "H3K4me3", "H3K79me3", "H3K9ac",
             "H4", "H4ac"]:
    # Official files mix lengths: most records are 500 bp, some shorter (290 bp seen here).
    GUE_TASKS[f"EMP_{mark}"] = (f"GUE/EMP/{mark}", (None, 500), 2,
                                f"yeast epigenetic mark prediction ({mark} occupancy)")
GUE_TASKS["splice_reconstructed"] = ("GUE/splice/reconstructed", (400, 400), 3,
                                     "human splice site prediction (donor / acceptor / neither)")
GUE_TASKS["virus_covid"] = ("GUE/virus/covid", None, None,
                            "SARS-CoV-2 variant classification")


def sha256_and_rows(path):
    opener = gzip.open if path.suffix == ".gz" else open
    h = hashlib.sha256()
    lines = 0
    with opener(path, "rb") as f:
        for line in f:
            h.update(line)
            lines += 1
    return h.hexdigest(), lines - 1  # minus the header


def gue_entries():
    tasks = []
    for name, (folder, length, classes, description) in GUE_TASKS.items():
        splits = {}
        for split in ["train", "dev", "test"]:
            sha, rows = None, None
            for candidate in [DATA / "gue" / name / f"{split}.csv",
                              DATA / "gue" / name / f"{split}.csv.gz"]:
                if candidate.is_file():
                    sha, rows = sha256_and_rows(candidate)
                    break
            splits[split] = {"file": f"{split}.csv", "rows": rows, "sha256": sha,
                             "archivePath": f"{folder}/{split}.csv", "url": None}
        tasks.append({
            "benchmark": "gue", "name": name, "description": description,
            "numClasses": classes, "classNames": None,
            "length": None if length is None else {"min": length[0], "max": length[1]},
            "splits": splits, "format": "csv", "source": None,
            "notes": None if splits["train"]["sha256"] else
            "train split not present in the project's data mirror; sha256 and sizes unknown here",
        })
    return tasks


def main():
    catalog = {
        "formatVersion": 1,
        "benchmarks": {
            "gue": {
                "title": "GUE: Genome Understanding Evaluation (28 datasets)",
                "source": "https://github.com/MAGICS-LAB/DNABERT_2 (data: https://drive.google.com/file/d/1GRtbzTe3UXYF1oW27ASNhYX3SZ16D7N2/view)",
                "licence": None,
                "citation": GUE_CITATION,
                "layout": "GUE.zip: GUE/<group>/<dataset>/{train,dev,test}.csv, header sequence,label, label = class index",
                "download": {
                    "url": "https://drive.google.com/uc?export=download&id=1GRtbzTe3UXYF1oW27ASNhYX3SZ16D7N2",
                    "archive": "zip", "sha256": None,
                    "notes": "Google Drive may answer with a confirmation page for large files; the archive's own sha256 is not published, so every extracted file is verified against its per-file sha256 instead, and files without one are not downloaded.",
                },
                "notes": "licence not stated in the repository README; check the repository before redistribution",
            },
        },
        "tasks": gue_entries(),
    }
    out = HERE / "catalog.json"
    out.write_text(json.dumps(catalog, indent=2) + "\n")
    print(f"wrote {out} with {len(catalog['tasks'])} tasks", file=sys.stderr)


if __name__ == "__main__":
    main()
