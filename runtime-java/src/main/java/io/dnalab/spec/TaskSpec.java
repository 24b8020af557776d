package io.dnalab.spec;

import java.nio.file.Path;

/** Which labelled data set a run trains and evaluates on. */
public sealed interface TaskSpec {

  /** A short stable name, used in tables and in the content hash of a run. */
  String id();

  /** A task of the GUE benchmark (DNABERT-2), e.g. {@code prom_core_all}, resolved by the catalog. */
  record Gue(String name) implements TaskSpec {
    public Gue {
      requireName("task", name);
    }

    @Override
    public String id() {
      return "gue/" + name;
    }
  }

  /** A task that ships with dnalab in {@code datasets/} (no download), e.g. the quickstart's. */
  record Builtin(String name) implements TaskSpec {
    public Builtin {
      requireName("task", name);
    }

    @Override
    public String id() {
      return "builtin/" + name;
    }
  }

  /**
   * A Genomic Benchmarks task named as in the catalog, e.g. {@code human_nontata_promoters}: the
   * folder {@code genomic_benchmarks/<name>/} ({@code train|test/<class>/*.txt}, as the
   * {@code genomic-benchmarks} package's {@code download_dataset} writes it) in the cache or in
   * {@code $DNALAB_DATA}; the catalog's published split sizes are checked, dev is carved from
   * train with a recorded seed.
   */
  record GenomicBenchmarks(String name) implements TaskSpec {
    public GenomicBenchmarks {
      requireName("task", name);
    }

    @Override
    public String id() {
      return "genomic_benchmarks/" + name;
    }
  }

  /**
   * A Nucleotide Transformer downstream task named as in the catalog, e.g. {@code promoter_all}:
   * the folder {@code nucleotide_transformer/<name>/} ({@code train.fna}, {@code test.fna}, the
   * label in each header) in the cache or in {@code $DNALAB_DATA}; dev is carved from train with a
   * recorded seed.
   */
  record NucleotideTransformer(String name) implements TaskSpec {
    public NucleotideTransformer {
      requireName("task", name);
    }

    @Override
    public String id() {
      return "nucleotide_transformer/" + name;
    }
  }

  /**
   * A folder of the user's: {@code train/dev/test.csv(.gz)}, a Genomic Benchmarks folder or
   * labelled FASTA files. Sequences may differ in length (batches are padded to their longest
   * sequence and masked).
   *
   * @param maxLength the longest sequence allowed, in bases; a longer one is refused naming its
   *     file, line and length (nothing is truncated). 0, the default: no limit. Left out of spec
   *     JSON when 0
   */
  record Local(Path folder, int maxLength) implements TaskSpec {
    public Local {
      if (folder == null) {
        throw new SpecException("task", "a local task needs a folder, got null");
      }
      if (maxLength < 0) {
        throw new SpecException("task.maxLength", "must be >= 0 bases (0: no limit), got "
            + maxLength);
      }
    }

    /** Without a length limit. */
    public Local(Path folder) {
      this(folder, 0);
    }

    @Override
    public String id() {
      return "local/" + folder.getFileName();
    }
  }

  private static void requireName(String field, String name) {
    if (name == null || name.isBlank()) {
      throw new SpecException(field, "needs a task name, got " + (name == null ? "null" : "\"\""));
    }
  }
}
