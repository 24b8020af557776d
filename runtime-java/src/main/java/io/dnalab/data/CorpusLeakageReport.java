package io.dnalab.data;

import java.util.List;
import java.util.Locale;

/**
 * What {@link CorpusLeakageScreen} found: per task and split, how many evaluation sequences the
 * pretraining corpus holds (definitions there).
 *
 * @param k k-mer length
 * @param nearCopyFraction the shared-k-mer fraction from which a sequence is a near copy
 * @param genomes the genome ids of the corpus, in screening order
 * @param corpusBases bases of the corpus, N included
 * @param counts one entry per task split, in the order screened
 * @param seconds wall time of the screen (corpus pass and counting)
 * @param cpuSeconds CPU time of the thread that screened (the screen is single-threaded): on a
 *     shared machine a fairer measure of its cost than the wall time
 */
public record CorpusLeakageReport(int k, double nearCopyFraction, List<String> genomes,
    long corpusBases, List<Counts> counts, double seconds, double cpuSeconds) {

  public CorpusLeakageReport {
    genomes = List.copyOf(genomes);
    counts = List.copyOf(counts);
  }

  /**
   * @param screened sequences of the split
   * @param tooShort of those, sequences without one N-free k-mer (neither exact nor near copy)
   * @param exactCopies sequences occurring whole in the corpus, either strand
   * @param nearCopies sequences with at least the near-copy fraction of their k-mers in the
   *     corpus, exact copies included
   * @param regions maximal runs of corpus bases covered by the near copies' shared k-mers
   * @param bases corpus bases in those runs
   */
  public record Counts(String task, String split, int screened, int tooShort, int exactCopies,
      int nearCopies, long regions, long bases) {}

  /** Whether no evaluation sequence is an exact or near copy of corpus sequence. */
  public boolean clean() {
    return counts.stream().allMatch(c -> c.nearCopies() == 0);
  }

  /**
   * One line for a plan or a log, e.g. {@code leakage vs gue:tf_0 dev+test: 2,000 screened, 3
   * exact, 41 near copies (>= 50% of 31-mers), 1,205 corpus regions, 48,310 bases}.
   */
  public String summary() {
    int screened = 0;
    int exact = 0;
    int near = 0;
    long regions = 0;
    long bases = 0;
    for (Counts c : counts) {
      screened += c.screened();
      exact += c.exactCopies();
      near += c.nearCopies();
      regions += c.regions();
      bases += c.bases();
    }
    List<String> tasks = counts.stream().map(Counts::task).distinct().toList();
    return String.format(Locale.ROOT, "leakage vs %s dev+test: %,d screened, %,d exact, %,d near"
            + " copies (>= %.0f%% of %d-mers), %,d corpus regions, %,d bases",
        String.join(", ", tasks), screened, exact, near, 100 * nearCopyFraction, k, regions,
        bases);
  }

  /** A Markdown table, one row per task split. */
  public String markdownTable() {
    StringBuilder table = new StringBuilder();
    table.append("| task | split | screened | too short | exact copies | near copies (≥ ")
        .append(Math.round(100 * nearCopyFraction)).append("% of ").append(k)
        .append("-mers) | near % | matched corpus regions | matched corpus bases |\n");
    table.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Counts c : counts) {
      table.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %,d | %,d | %.2f | %,d |"
              + " %,d |%n", c.task(), c.split(), c.screened(), c.tooShort(), c.exactCopies(),
          c.nearCopies(), c.screened() == 0 ? 0.0 : 100.0 * c.nearCopies() / c.screened(),
          c.regions(), c.bases()));
    }
    return table.toString();
  }
}
