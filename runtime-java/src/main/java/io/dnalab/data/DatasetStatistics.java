package io.dnalab.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Statistics of a labelled data set, per split: sizes, class balance, lengths, base composition,
 * N content, duplicates, and the cross-split {@link LeakageReport}. Plain records of numbers and
 * lists so notebooks can turn them into a data frame and plots ({@link #splits()} gives one row
 * per split, {@link SplitStatistics#lengthHistogram()} one row per bin).
 *
 * @param task the task id
 * @param protocol the task's protocol note (see {@link SequenceTask#protocol()})
 * @param notes things a reader should know (a split not available, skipped records...)
 */
public record DatasetStatistics(String task, String protocol, int numClasses,
    long skippedRecords, List<SplitStatistics> splits, LeakageReport leakage,
    List<String> notes) {

  public DatasetStatistics {
    splits = List.copyOf(splits);
    notes = List.copyOf(notes);
  }

  /** Counts of A, C, G, T and N over all sequences of a split. */
  public record BaseComposition(long a, long c, long g, long t, long n) {
    public long total() {
      return a + c + g + t + n;
    }

    /** G+C over A+C+G+T (N excluded). */
    public double gcFraction() {
      long acgt = a + c + g + t;
      return acgt == 0 ? 0 : (double) (g + c) / acgt;
    }

    public double nFraction() {
      return total() == 0 ? 0 : (double) n / total();
    }
  }

  /** Sequences whose length falls in {@code [from, to]}. */
  public record LengthBin(int from, int to, int count) {}

  /**
   * @param classCounts records per label, index = label
   * @param duplicateSequences records whose sequence (or its reverse complement) occurs earlier in
   *     the same split
   * @param conflictingDuplicates of those, how many carry a different label than the earlier one
   */
  public record SplitStatistics(String split, int size, List<Integer> classCounts,
      int minLength, int medianLength, int maxLength, double meanLength,
      List<LengthBin> lengthHistogram, BaseComposition composition, int sequencesWithN,
      int duplicateSequences, int conflictingDuplicates) {

    public SplitStatistics {
      classCounts = List.copyOf(classCounts);
      lengthHistogram = List.copyOf(lengthHistogram);
    }

    /** Fraction of the largest class; 1/numClasses when perfectly balanced. */
    public double majorityClassFraction() {
      int max = classCounts.stream().mapToInt(Integer::intValue).max().orElse(0);
      return size == 0 ? 0 : (double) max / size;
    }
  }

  /** Statistics of the three splits of {@code task}, with its leakage report. */
  public static DatasetStatistics of(SequenceTask task) {
    Map<String, List<LabeledSequence>> splits = new LinkedHashMap<>();
    splits.put("train", task.train());
    splits.put("dev", task.dev());
    splits.put("test", task.test());
    return of(task.name(), task.protocol(), task.numClasses(), task.skippedRecords(), splits,
        List.of());
  }

  /** Statistics of any named splits (e.g. the files found for a task, train possibly absent). */
  public static DatasetStatistics of(String task, String protocol, int numClasses,
      long skippedRecords, Map<String, List<LabeledSequence>> splits, List<String> notes) {
    List<SplitStatistics> stats = new ArrayList<>();
    Map<String, List<String>> sequences = new LinkedHashMap<>();
    for (Map.Entry<String, List<LabeledSequence>> e : splits.entrySet()) {
      stats.add(split(e.getKey(), e.getValue(), numClasses));
      sequences.put(e.getKey(), LeakageCheck.sequences(e.getValue()));
    }
    LeakageReport leakage = LeakageCheck.check(sequences, LeakageCheck.DEFAULT_K,
        LeakageCheck.DEFAULT_NEAR_DUPLICATE_FRACTION);
    return new DatasetStatistics(task, protocol, numClasses, skippedRecords, stats, leakage,
        notes);
  }

  static SplitStatistics split(String name, List<LabeledSequence> records, int numClasses) {
    int[] classCounts = new int[Math.max(numClasses, 1)];
    int[] lengths = new int[records.size()];
    long[] bases = new long[5];
    int withN = 0;
    int duplicates = 0;
    int conflicting = 0;
    Map<String, Integer> firstLabel = new java.util.HashMap<>(records.size() * 2);
    for (int i = 0; i < records.size(); i++) {
      LabeledSequence r = records.get(i);
      if (r.label() >= classCounts.length) {
        classCounts = Arrays.copyOf(classCounts, r.label() + 1);
      }
      classCounts[r.label()]++;
      String s = r.sequence();
      lengths[i] = s.length();
      boolean hasN = false;
      for (int j = 0; j < s.length(); j++) {
        switch (s.charAt(j)) {
          case 'A' -> bases[0]++;
          case 'C' -> bases[1]++;
          case 'G' -> bases[2]++;
          case 'T' -> bases[3]++;
          default -> {
            bases[4]++;
            hasN = true;
          }
        }
      }
      if (hasN) {
        withN++;
      }
      Integer previous = firstLabel.putIfAbsent(Dna.canonical(s), r.label());
      if (previous != null) {
        duplicates++;
        if (previous != r.label()) {
          conflicting++;
        }
      }
    }
    int[] sorted = lengths.clone();
    Arrays.sort(sorted);
    double mean = Arrays.stream(lengths).average().orElse(0);
    List<Integer> counts = Arrays.stream(classCounts).boxed().toList();
    return new SplitStatistics(name, records.size(), counts,
        sorted.length == 0 ? 0 : sorted[0], sorted.length == 0 ? 0 : sorted[sorted.length / 2],
        sorted.length == 0 ? 0 : sorted[sorted.length - 1], mean, histogram(sorted),
        new BaseComposition(bases[0], bases[1], bases[2], bases[3], bases[4]), withN,
        duplicates, conflicting);
  }

  /** At most 10 equal-width bins between the shortest and longest length. */
  static List<LengthBin> histogram(int[] sorted) {
    if (sorted.length == 0) {
      return List.of();
    }
    int min = sorted[0];
    int max = sorted[sorted.length - 1];
    int bins = Math.min(10, max - min + 1);
    int width = (max - min + bins) / bins;
    int[] counts = new int[bins];
    for (int length : sorted) {
      counts[Math.min(bins - 1, (length - min) / width)]++;
    }
    List<LengthBin> out = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      out.add(new LengthBin(min + b * width, Math.min(max, min + (b + 1) * width - 1), counts[b]));
    }
    return out;
  }

  /** The shortest sequence over every split, in bases; 0 when there is none. */
  public int minLength() {
    return splits.stream().filter(s -> s.size() > 0).mapToInt(SplitStatistics::minLength).min()
        .orElse(0);
  }

  /** The longest sequence over every split, in bases; 0 when there is none. */
  public int maxLength() {
    return splits.stream().filter(s -> s.size() > 0).mapToInt(SplitStatistics::maxLength).max()
        .orElse(0);
  }

  /** Whether sequences differ in length (batches are then padded and masked). */
  public boolean variableLength() {
    return minLength() != maxLength();
  }

  /**
   * The observed length range, e.g. {@code 60..140 bp (variable: ...)} or {@code 70 bp (fixed)}.
   */
  public String lengthRange() {
    if (maxLength() == 0) {
      return "no sequences";
    }
    return variableLength()
        ? minLength() + ".." + maxLength() + " bp (variable: batches are padded to their longest"
            + " sequence and masked)"
        : maxLength() + " bp (fixed)";
  }

  /** Problems that make the data set unfit as it is: leakage or conflicting duplicates. */
  public List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    for (SplitStatistics s : splits) {
      if (s.conflictingDuplicates() > 0) {
        warnings.add(s.split() + ": " + s.conflictingDuplicates()
            + " sequences occur twice with different labels");
      }
      if (s.size() > 0 && s.majorityClassFraction() > 0.9) {
        warnings.add(String.format(Locale.ROOT, "%s: the largest class holds %.1f%% of records",
            s.split(), 100 * s.majorityClassFraction()));
      }
    }
    for (LeakageReport.Pair p : leakage.pairs()) {
      if (!p.clean()) {
        warnings.add(p.split() + " vs " + p.reference() + ": " + p.exactDuplicates()
            + " exact and " + p.nearDuplicates() + " near duplicates");
      }
    }
    return warnings;
  }

  /** The statistics as an aligned text table, as {@code dnalab data check} prints them. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append("task      ").append(task).append('\n');
    sb.append("protocol  ").append(protocol).append('\n');
    sb.append("classes   ").append(numClasses).append('\n');
    sb.append("lengths   ").append(lengthRange()).append('\n');
    if (skippedRecords > 0) {
      sb.append("skipped   ").append(skippedRecords).append(" bad records (asked for)\n");
    }
    for (String note : notes) {
      sb.append("note      ").append(note).append('\n');
    }
    sb.append('\n');
    sb.append(String.format(Locale.ROOT, "%-6s %8s  %-22s %-15s %6s %6s %7s %6s%n", "split",
        "records", "class counts", "length min/med/max", "GC%", "N%", "with N", "dups"));
    for (SplitStatistics s : splits) {
      sb.append(String.format(Locale.ROOT, "%-6s %8d  %-22s %-15s %6.2f %6.3f %7d %6d%n",
          s.split(), s.size(), s.classCounts().toString(),
          s.minLength() + "/" + s.medianLength() + "/" + s.maxLength(),
          100 * s.composition().gcFraction(), 100 * s.composition().nFraction(),
          s.sequencesWithN(), s.duplicateSequences()));
    }
    sb.append('\n').append("cross-split leakage (k = ").append(leakage.k())
        .append(", near duplicate: >= ")
        .append(Math.round(100 * leakage.nearDuplicateFraction())).append("% of k-mers shared)\n");
    sb.append(leakage.describe());
    return sb.toString();
  }

  /** Labels that occur in an evaluation split but never in train (only when train is present). */
  public Set<Integer> labelsMissingFromTrain() {
    Set<Integer> missing = new HashSet<>();
    SplitStatistics train = splits.stream().filter(s -> s.split().equals("train")).findFirst()
        .orElse(null);
    if (train == null) {
      return missing;
    }
    for (SplitStatistics s : splits) {
      for (int label = 0; label < s.classCounts().size(); label++) {
        boolean inTrain = label < train.classCounts().size() && train.classCounts().get(label) > 0;
        if (s.classCounts().get(label) > 0 && !inTrain) {
          missing.add(label);
        }
      }
    }
    return missing;
  }
}
