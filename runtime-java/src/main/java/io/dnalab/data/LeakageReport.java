package io.dnalab.data;

import java.util.List;

/**
 * How much of each evaluation split is already present in another split.
 *
 * <p>Two checks, both strand-independent (a window equals its reverse complement):
 *
 * <ul>
 *   <li>exact: the evaluation sequence occurs verbatim in the reference split;
 *   <li>near-duplicate: it shares long k-mers (default k = 31) with the reference split. A 31-mer
 *       occurs by chance in a random genome of G bases with probability about G / 4^31, i.e.
 *       never for any genome, so a shared 31-mer means shared sequence (repeats, paralogs,
 *       overlapping windows). A window counts as a near-duplicate when at least {@code
 *       nearDuplicateFraction} of its k-mers occur in the reference split.
 * </ul>
 *
 * @param pairs one entry per (evaluation split, reference split): dev-train, test-train, test-dev
 */
public record LeakageReport(int k, double nearDuplicateFraction, List<Pair> pairs) {

  public LeakageReport {
    pairs = List.copyOf(pairs);
  }

  /**
   * @param evaluated windows of the evaluation split
   * @param exactDuplicates of those, how many occur verbatim in the reference split
   * @param sharingAnyKmer how many share at least one k-mer with it
   * @param nearDuplicates how many share at least the near-duplicate fraction of their k-mers
   * @param maxSharedFraction the largest fraction of shared k-mers of any one window
   */
  public record Pair(String split, String reference, int evaluated, int exactDuplicates,
      int sharingAnyKmer, int nearDuplicates, double maxSharedFraction) {

    public boolean clean() {
      return exactDuplicates == 0 && nearDuplicates == 0;
    }
  }

  /** Whether no evaluation window is an exact or near duplicate of another split's. */
  public boolean clean() {
    return pairs.stream().allMatch(Pair::clean);
  }

  /** A few readable lines, one per pair. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (Pair p : pairs) {
      sb.append(String.format("%-5s vs %-5s: %6d windows, %5d exact duplicates, %5d share a %d-mer,"
              + " %5d near duplicates (>= %.0f%% of %d-mers shared), max shared %.1f%%%n",
          p.split(), p.reference(), p.evaluated(), p.exactDuplicates(), p.sharingAnyKmer(), k,
          p.nearDuplicates(), 100 * nearDuplicateFraction, k, 100 * p.maxSharedFraction()));
    }
    return sb.toString();
  }
}
