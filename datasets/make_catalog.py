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


GB_CITATION = ("Gresova K, Martinek V, Cechak D, Simecek P, Alexiou P. Genomic benchmarks: a collection "
               "of datasets for genomic sequence classification. BMC Genomic Data 24, 25 (2023). "
               "doi:10.1186/s12863-023-01123-8")
GB_REPO = "https://github.com/ML-Bioinfo-CEITEC/genomic_benchmarks"
# name -> (class folder names in label order, (train, test) or None, (min, max) length or None, notes)
# Split sizes: the paper's Table 1, cross-checked against totals and test fractions published by a
# third-party audit (n = 36131 / 154842 / 100000 / 174756 / 100000 / 27791, test 25% or 20%);
# the two entries that could not be cross-checked stay null.
GB_TASKS = {
    "demo_coding_vs_intergenomic_seqs": (["coding_seqs", "intergenomic_seqs"], (75000, 25000), (200, 200), None),
    "demo_human_or_worm": (["human", "worm"], (75000, 25000), (200, 200), None),
    "dummy_mouse_enhancers_ensembl": (["negative", "positive"], None, None, "split sizes not verified here"),
    "human_enhancers_cohn": (["negative", "positive"], (20843, 6948), (500, 500), None),
    "human_enhancers_ensembl": (["negative", "positive"], (123872, 30970), (2, 573), None),
    "human_ensembl_regulatory": (["enhancer", "ocr", "promoter"], None, None, "split sizes not verified here"),
    "human_nontata_promoters": (["negative", "positive"], (27097, 9034), (251, 251), None),
    "human_ocr_ensembl": (["negative", "positive"], (139804, 34952), (71, 593), None),
}

NT_CITATION = ("Dalla-Torre H, Gonzalez L, Mendoza-Revilla J, et al. Nucleotide Transformer: building and "
               "evaluating robust foundation models for human genomics. Nature Methods 22, 287-297 (2025). "
               "doi:10.1038/s41592-024-02523-z")
NT_HF = "https://huggingface.co/datasets/InstaDeepAI/nucleotide_transformer_downstream_tasks"
# name -> (classes, description); sizes and lengths are left null: the dataset card's table could
# not be read from here, and the revised (2024) version of the benchmark changed several tasks.
NT_TASKS = {
    **{mark: (2, f"yeast histone mark {mark} occupancy (from the EMP data of Pokholok et al.)")
       for mark in ["H3", "H3K14ac", "H3K36me3", "H3K4me1", "H3K4me2", "H3K4me3", "H3K79me3",
                    "H3K9ac", "H4", "H4ac"]},
    "enhancers": (2, "human enhancer vs non-enhancer (Liu et al. / iEnhancer data)"),
    "enhancers_types": (3, "strong enhancer / weak enhancer / non-enhancer"),
    "promoter_all": (2, "human promoter vs shuffled negative (DeePromoter data), TATA and non-TATA"),
    "promoter_no_tata": (2, "human non-TATA promoters vs negatives (DeePromoter data)"),
    "promoter_tata": (2, "human TATA promoters vs negatives (DeePromoter data)"),
    "splice_sites_acceptors": (2, "splice acceptor vs other (SpliceFinder data)"),
    "splice_sites_all": (3, "donor / acceptor / non-splice-site (SpliceFinder data)"),
    "splice_sites_donors": (2, "splice donor vs other (SpliceFinder data)"),
}


def gb_entries():
    tasks = []
    for name, (classes, sizes, length, notes) in GB_TASKS.items():
        splits = {}
        for i, split in enumerate(["train", "test"]):
            splits[split] = {"file": f"{split}/", "rows": None if sizes is None else sizes[i],
                             "sha256": None, "archivePath": None, "url": None}
        tasks.append({
            "benchmark": "genomic_benchmarks", "name": name, "description": None,
            "numClasses": len(classes), "classNames": classes,
            "length": None if length is None else {"min": length[0], "max": length[1]},
            "splits": splits, "format": "genomic-benchmarks",
            "source": f"{GB_REPO}/tree/main/datasets/{name}",
            "notes": notes,
        })
    return tasks


def nt_entries():
    tasks = []
    for name, (classes, description) in NT_TASKS.items():
        splits = {split: {"file": f"{split}.fna", "rows": None, "sha256": None, "archivePath": None,
                          "url": f"{NT_HF}/resolve/main/{name}/{split}.fna"}
                  for split in ["train", "test"]}
        tasks.append({
            "benchmark": "nucleotide_transformer", "name": name, "description": description,
            "numClasses": classes, "classNames": None, "length": None, "splits": splits,
            "format": "fasta-label-in-header", "source": f"{NT_HF}/tree/main/{name}",
            "notes": "no dev split: the paper evaluates by 10-fold cross-validation on train",
        })
    return tasks


BUILTIN_TASKS = {
    "leptospira_coding_vs_intergenic": {
        "description": "200 bp windows of Leptospira kirschneri H1: class 1 = inside a CDS (gene strand), "
                       "class 0 = outside every annotated feature (random strand); splits by 20 kb region blocks",
        "classNames": ["intergenic", "coding"], "length": (200, 200),
        "citation": "Leptospira kirschneri str. H1 whole genome shotgun assembly, NCBI RefSeq NZ_AHMY00000000 "
                    "(J. Craig Venter Institute, BioProject PRJNA224116); task built by dnalab TaskBuilder",
    },
}


def builtin_entries():
    tasks = []
    for name, meta in BUILTIN_TASKS.items():
        folder = HERE / "builtin" / name
        splits = {}
        for split in ["train", "dev", "test"]:
            sha, rows = sha256_and_rows(folder / f"{split}.csv.gz")
            splits[split] = {"file": f"{split}.csv", "rows": rows, "sha256": sha,
                             "archivePath": None, "url": None}
        tasks.append({
            "benchmark": "builtin", "name": name, "description": meta["description"],
            "numClasses": len(meta["classNames"]), "classNames": meta["classNames"],
            "length": {"min": meta["length"][0], "max": meta["length"][1]},
            "splits": splits, "format": "csv",
            "source": f"datasets/builtin/{name}/PROVENANCE.md", "notes": meta["citation"],
        })
    return tasks


# Genomes for pretraining corpora: id -> (file under $DNALAB_DATA, organism, aliases). Their sha256
# is copied from $DNALAB_DATA/SHA256SUMS, which hashes the files AS STORED (the .gz bytes, checked:
# `sha256sum genomes/ustilago_maydis.fa.gz` matches its line), so dnalab verifies the compressed
# file, unlike the GUE entries above.
GENOMES = {
    "human_GRCh37_chr20": ("genomes/human_GRCh37_chr20.fa.gz", "Homo sapiens (GRCh37), chromosome 20", ["human_chr20"]),
    "drosophila_dm_chr2R": ("genomes/drosophila_dm_chr2R.fa.gz", "Drosophila melanogaster, chromosome arm 2R", ["fly_chr2R"]),
    "plasmodium_falciparum": ("genomes/plasmodium_falciparum_MAL1-14.fa.gz", "Plasmodium falciparum 3D7, chromosomes 1-14", []),
    "ustilago_maydis": ("genomes/ustilago_maydis.fa.gz", "Ustilago maydis (corn smut fungus)", []),
    "bacteria_E_coli_MG1655": ("genomes/bacteria/E.Coli_MG1655-K12.fasta.gz", "Escherichia coli K-12 MG1655", ["e_coli"]),
    "bacteria_H_pylori_G27": ("genomes/bacteria/H.Pylori_G27.fasta.gz", "Helicobacter pylori G27", []),
    "bacteria_S_aureus_COL": ("genomes/bacteria/S.Aureus_COL.fasta.gz", "Staphylococcus aureus COL", []),
    "bacteria_V_cholerae_O395": ("genomes/bacteria/V.Cholerae_O395.fasta.gz", "Vibrio cholerae O395", []),
    "bacteria_K_pneumoniae_MGH78578": ("genomes/bacteria/klebsiella_MGH78578.fa.gz", "Klebsiella pneumoniae MGH 78578", []),
}

# Where each genome's sequence was first released (the public source a user downloads from). The
# catalog's sha256 is of the project's copy as stored; a fresh download from here need not match
# it byte for byte (header line, line width, compression), so dnalab refuses it as a catalog genome
# and a user reads it as genomes(file(...)) instead.
GENOME_URLS = {
    "human_GRCh37_chr20": "https://ftp.ensembl.org/pub/grch37/release-75/fasta/homo_sapiens/dna/Homo_sapiens.GRCh37.75.dna.chromosome.20.fa.gz",
    "drosophila_dm_chr2R": "https://hgdownload.soe.ucsc.edu/goldenPath/dm3/chromosomes/chr2R.fa.gz",
    "plasmodium_falciparum": "https://plasmodb.org/plasmo/app/downloads/",
    "ustilago_maydis": "https://fungi.ensembl.org/Ustilago_maydis/Info/Index",
    "bacteria_E_coli_MG1655": "https://www.ncbi.nlm.nih.gov/nuccore/NC_000913",
    "bacteria_H_pylori_G27": "https://www.ncbi.nlm.nih.gov/nuccore/NC_011333.1",
    "bacteria_S_aureus_COL": "https://www.ncbi.nlm.nih.gov/nuccore/NC_002951.2",
    "bacteria_V_cholerae_O395": "https://www.ncbi.nlm.nih.gov/nuccore/CP001235.1",
    "bacteria_K_pneumoniae_MGH78578": "https://www.ncbi.nlm.nih.gov/nuccore/CP000647.1"
}


def genome_entries():
    sums = {}
    sums_file = DATA / "SHA256SUMS"
    if sums_file.is_file():
        for line in sums_file.read_text().splitlines():
            if line.strip():
                digest, name = line.split(None, 1)
                sums[name.strip().lstrip("*")] = digest
    entries = []
    for genome_id, (file, organism, aliases) in GENOMES.items():
        path = DATA / file
        records = bases = size = None
        if path.is_file():
            size = path.stat().st_size
            records = bases = 0
            with gzip.open(path, "rt") as f:
                for line in f:
                    if line.startswith(">"):
                        records += 1
                    else:
                        bases += len(line.strip())
        entries.append({"id": genome_id, "aliases": aliases, "file": file, "organism": organism,
                        "sha256": sums.get(file), "sha256Of": "file as stored (gzip)",
                        "bytes": size, "records": records, "bases": bases,
                        "source": "Debian packages' example data, see $DNALAB_DATA/README.md",
                        "url": GENOME_URLS[genome_id]})
    return entries


def main():
    catalog = {
        "formatVersion": 1,
        "benchmarks": {
            "gue": {
                "title": "GUE: Genome Understanding Evaluation (28 datasets)",
                "source": "https://github.com/MAGICS-LAB/DNABERT_2 (data: https://drive.google.com/file/d/1GRtbzTe3UXYF1oW27ASNhYX3SZ16D7N2/view)",
                "licence": "Apache-2.0 (the licence of the DNABERT_2 repository that distributes GUE; the data carry no separate licence statement)",
                "citation": GUE_CITATION,
                "layout": "GUE.zip: GUE/<group>/<dataset>/{train,dev,test}.csv, header sequence,label, label = class index",
                "download": {
                    "url": "https://drive.google.com/uc?export=download&id=1GRtbzTe3UXYF1oW27ASNhYX3SZ16D7N2",
                    "archive": "zip", "sha256": None,
                    "notes": "Google Drive may answer with a confirmation page for large files; the archive's own sha256 is not published, so every extracted file is verified against its per-file sha256 instead, and files without one are not downloaded.",
                },
                "notes": "the underlying data come from EPDnew, ENCODE, GISAID and the EMP study, each with its own terms",
            },
            "builtin": {
                "title": "Tasks built by dnalab from public annotated genomes, shipped with it",
                "source": "datasets/builtin/<task>/PROVENANCE.md (source file, its sha256, the exact build command)",
                "licence": "derived from public genome sequence and annotation (NCBI RefSeq); no further restriction added",
                "citation": None,
                "layout": "builtin/<task>/{train,dev,test}.csv.gz: sequence,label,contig,start,end,strand",
                "download": None,
                "notes": "packaged in the dnalab-runtime jar under dnalab/datasets/builtin/",
            },
            "genomic_benchmarks": {
                "title": "Genomic Benchmarks (Gresova et al. 2023), the 8 datasets of the paper's main table",
                "source": GB_REPO,
                "licence": None,
                "citation": GB_CITATION,
                "layout": "datasets/<name>/{train,test}/<class>.csv.gz of genome coordinates (id, region, start, end, strand); "
                          "sequences are cut from the reference genomes named in metadata.yaml by the genomic_benchmarks "
                          "package (download_dataset), which yields <name>/{train,test}/<class>/<id>.txt, one sequence per file. "
                          "Label = index of the class folder in classNames. No dev split.",
                "download": None,
                "notes": "licence file not found in the repository index consulted; check the repository before redistribution. "
                         "dnalab reads the downloaded <name>/{train,test}/<class>/*.txt folder as TaskSpec.Local (dev carved from train, seed 42).",
            },
            "nucleotide_transformer": {
                "title": "Nucleotide Transformer downstream tasks (18 tasks, original 2023 release)",
                "source": NT_HF,
                "licence": "see https://github.com/instadeepai/nucleotide-transformer/blob/main/LICENSE.md (the licence the dataset's loading script names)",
                "citation": NT_CITATION,
                "layout": "<task>/{train,test}.fna: FASTA whose header ends with |<label>; no dev split",
                "download": None,
                "notes": "a revised version exists: https://huggingface.co/datasets/InstaDeepAI/nucleotide_transformer_downstream_tasks_revised "
                         "(the maintainers recommend it); results on the two are not comparable",
            },
        },
        "tasks": gue_entries() + gb_entries() + nt_entries() + builtin_entries(),
        "genomes": genome_entries(),
    }
    out = HERE / "catalog.json"
    out.write_text(json.dumps(catalog, indent=2) + "\n")
    print(f"wrote {out} with {len(catalog['tasks'])} tasks and {len(catalog['genomes'])} genomes",
          file=sys.stderr)


if __name__ == "__main__":
    main()
