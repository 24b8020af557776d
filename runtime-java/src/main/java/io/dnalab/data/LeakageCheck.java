package io.dnalab.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Computes a {@link LeakageReport} between the splits of a task (see there for the method). */
public final class LeakageCheck {
  public static final int DEFAULT_K = 31;
  public static final double DEFAULT_NEAR_DUPLICATE_FRACTION = 0.5;

  private LeakageCheck() {}

  public static LeakageReport check(SequenceTask task) {
    return check(Map.of("train", sequences(task.train()), "dev", sequences(task.dev()),
        "test", sequences(task.test())), DEFAULT_K, DEFAULT_NEAR_DUPLICATE_FRACTION);
  }

  static List<String> sequences(List<LabeledSequence> records) {
    List<String> out = new ArrayList<>(records.size());
    for (LabeledSequence r : records) {
      out.add(r.sequence());
    }
    return out;
  }

  /**
   * @param splits sequences by split name; pairs checked: dev-train, test-train, test-dev (those
   *     whose both splits are present and non-empty)
   */
  public static LeakageReport check(Map<String, List<String>> splits, int k,
      double nearDuplicateFraction) {
    List<LeakageReport.Pair> pairs = new ArrayList<>();
    String[][] order = {{"dev", "train"}, {"test", "train"}, {"test", "dev"}};
    for (String[] pair : order) {
      List<String> evaluated = splits.get(pair[0]);
      List<String> reference = splits.get(pair[1]);
      if (evaluated == null || reference == null || evaluated.isEmpty() || reference.isEmpty()) {
        continue;
      }
      ReferenceIndex index = new ReferenceIndex(reference, k);
      int exact = 0;
      int sharingAny = 0;
      int near = 0;
      double maxFraction = 0;
      for (String s : evaluated) {
        if (index.containsExactly(s)) {
          exact++;
        }
        double fraction = index.sharedKmerFraction(s);
        if (fraction > 0) {
          sharingAny++;
          maxFraction = Math.max(maxFraction, fraction);
          if (fraction >= nearDuplicateFraction) {
            near++;
          }
        }
      }
      pairs.add(new LeakageReport.Pair(pair[0], pair[1], evaluated.size(), exact, sharingAny,
          near, maxFraction));
    }
    return new LeakageReport(k, nearDuplicateFraction, pairs);
  }

  /** The canonical sequences and canonical k-mers of a reference split, for look-ups. */
  public static final class ReferenceIndex {
    private final int k;
    private final Set<String> exact;
    private final LongHashSet kmers;

    public ReferenceIndex(Collection<String> reference, int k) {
      this.k = k;
      this.exact = new HashSet<>(reference.size() * 2);
      long estimate = 0;
      for (String s : reference) {
        exact.add(Dna.canonical(s));
        estimate += Math.max(0, s.length() - k + 1);
      }
      this.kmers = new LongHashSet((int) Math.min(estimate, 1 << 28));
      for (String s : reference) {
        Dna.forEachCanonicalKmer(s, k, kmers::add);
      }
    }

    /** Whether {@code sequence} or its reverse complement is in the reference. */
    public boolean containsExactly(String sequence) {
      return exact.contains(Dna.canonical(sequence));
    }

    /** The fraction of {@code sequence}'s k-mers (without N) found in the reference; 0 if none. */
    public double sharedKmerFraction(String sequence) {
      long[] counts = new long[2];
      Dna.forEachCanonicalKmer(sequence, k, code -> {
        counts[0]++;
        if (kmers.contains(code)) {
          counts[1]++;
        }
      });
      return counts[0] == 0 ? 0 : (double) counts[1] / counts[0];
    }

    /** Exact duplicate, or at least {@code fraction} of k-mers shared. */
    public boolean leaks(String sequence, double fraction) {
      return containsExactly(sequence) || sharedKmerFraction(sequence) >= fraction;
    }
  }
}
