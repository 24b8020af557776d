package io.dnalab.spec;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where pretraining windows come from.
 *
 * @param name a short stable name for tables, e.g. {@code human} or {@code multispecies}
 * @param genomes genomes of the dataset catalog or FASTA files/folders of the user's, with their
 *     mixing weights: a window comes from
 *     genome g with probability weight_g / Σ weights, then uniformly from g's bases
 * @param maxNFraction N policy: a window with more than this fraction of N (or other non-ACGT
 *     letters) is rejected and redrawn; 0 rejects any N (assembly gaps, centromeres)
 * @param reverseComplement whether each window is reverse-complemented with probability 0.5
 * @param heldOutFraction fraction of each genome's 100 kb blocks kept for validation; training
 *     windows never touch them
 * @param leakage what to do with corpus regions that hold dev or test sequences of the
 *     experiment's tasks (the screen runs before every pretraining either way, see
 *     {@code io.dnalab.data.CorpusLeakageScreen}): {@link Leakage#REPORT} (the default) counts
 *     them, {@link Leakage#EXCLUDE} also keeps every pretraining window off them. Only
 *     {@code EXCLUDE} is written into the spec's JSON, so the default leaves stage keys as they were
 */
public record CorpusSpec(String name, List<GenomeSource> genomes, double maxNFraction,
    boolean reverseComplement, double heldOutFraction, Leakage leakage) {

  /** What pretraining does with corpus regions that hold task evaluation sequences. */
  public enum Leakage {
    /** Screen, record the counts with the pretraining, and pretrain on the whole corpus. */
    REPORT,
    /** Screen, record the counts, and cut the matched regions out of every pretraining window. */
    EXCLUDE
  }

  /** A corpus that reports leakage (the default) and pretrains on all of it. */
  public CorpusSpec(String name, List<GenomeSource> genomes, double maxNFraction,
      boolean reverseComplement, double heldOutFraction) {
    this(name, genomes, maxNFraction, reverseComplement, heldOutFraction, Leakage.REPORT);
  }

  public CorpusSpec {
    if (name == null || name.isBlank()) {
      throw new SpecException("corpus.name", "a corpus needs a name, got \"\"");
    }
    genomes = SpecException.nonEmpty("corpus.genomes", genomes);
    Set<String> ids = new HashSet<>();
    for (GenomeSource genome : genomes) {
      if (!ids.add(genome.id())) {
        throw new SpecException("corpus.genomes.id", "genome \"" + genome.id()
            + "\" appears twice in corpus " + name + "; give each file its own id");
      }
    }
    if (!(maxNFraction >= 0 && maxNFraction < 1)) {
      throw new SpecException("corpus.maxNFraction", "must be in [0, 1), got " + maxNFraction);
    }
    if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
      throw new SpecException("corpus.heldOutFraction", "must be in (0, 1), got "
          + heldOutFraction);
    }
    if (leakage == null) {
      throw new SpecException("corpus.leakage", "must be REPORT or EXCLUDE, got null");
    }
  }

  /** The same corpus with another leakage policy. */
  public CorpusSpec withLeakage(Leakage value) {
    return new CorpusSpec(name, genomes, maxNFraction, reverseComplement, heldOutFraction, value);
  }

  /**
   * One genome of a corpus: a catalog genome, or a FASTA(.gz) file or folder of the user's.
   *
   * @param id the catalog id, or for a file the name it goes by in tables (it also seeds the
   *     genome's held-out blocks, so it is part of the pretraining stage key)
   * @param path null for a catalog genome; else a FASTA(.gz) file, or a folder whose FASTA files
   *     ({@code .fa .fasta .fna .fas}, optionally {@code .gz}) are read in name order as one
   *     genome. Only the content is keyed, not the path: the same file elsewhere gives the same key
   */
  public record GenomeSource(String id, double weight, Path path) {
    public GenomeSource {
      if (id == null || id.isBlank()) {
        throw new SpecException("corpus.genomes.id", "needs a genome id, got \"\"");
      }
      SpecException.positive("corpus.genomes.weight", weight);
    }

    /** A genome of the dataset catalog. */
    public GenomeSource(String id, double weight) {
      this(id, weight, null);
    }

    /**
     * A FASTA(.gz) file or folder, named after it: {@code hg38.fa.gz} goes by {@code hg38}.
     */
    public static GenomeSource file(Path path, double weight) {
      if (path == null) {
        throw new SpecException("corpus.genomes.path", "needs a FASTA file or folder, got null");
      }
      Path name = path.toAbsolutePath().normalize().getFileName();
      String id = name == null ? path.toString()
          : name.toString().replaceFirst("(?i)\\.gz$", "")
              .replaceFirst("(?i)\\.(fa|fasta|fna|fas)$", "");
      return new GenomeSource(id, weight, path);
    }
  }

  /** Equal weights, no N, reverse-complement augmentation, 5% held out. */
  public static CorpusSpec of(String name, String... genomeIds) {
    return new CorpusSpec(name,
        java.util.Arrays.stream(genomeIds).map(id -> new GenomeSource(id, 1.0)).toList(), 0.0,
        true, 0.05);
  }

  /** Human chromosome 20 (GRCh37), as DNABERT-2's human-only ablations. */
  public static CorpusSpec humanOnly() {
    return of("human", "human_GRCh37_chr20");
  }

  /**
   * Bacteria, fly, Plasmodium and fungus, equally weighted per genome (so small bacterial
   * genomes are not drowned by larger ones).
   */
  public static CorpusSpec multiSpecies() {
    return of("multispecies", "bacteria_E_coli_MG1655", "bacteria_H_pylori_G27",
        "bacteria_S_aureus_COL", "bacteria_V_cholerae_O395", "bacteria_K_pneumoniae_MGH78578",
        "drosophila_dm_chr2R", "plasmodium_falciparum", "ustilago_maydis");
  }
}
