package io.dnalab.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Builds a labelled classification task from an annotated genome.
 *
 * <p>Kinds:
 *
 * <ul>
 *   <li>{@link Kind#CODING_VS_INTERGENIC}: label 1 = a window lying inside one CDS part, read in
 *       the gene's direction (windows of reverse-strand genes are reverse-complemented) and tiled
 *       from the start of that part, so windows of a single-part CDS (all of them in bacteria)
 *       start in frame; label 0 = a window lying in no
 *       annotated feature at all (only {@code source}/{@code region} are ignored), read from a
 *       strand chosen at random, so the strand of a window says nothing about its class.
 *   <li>{@link Kind#PROMOTER_VS_BACKGROUND}: label 1 = the {@code windowLength} bases immediately
 *       upstream of a CDS start, strand-aware (for a reverse-strand CDS the bases after its end,
 *       reverse-complemented), kept only when no CDS on the same strand overlaps it (so it is not
 *       the inside of an upstream gene of the same operon) and the CDS's 5' end is not partial;
 *       label 0 = tiled windows farther than {@code windowLength} from every CDS start, random
 *       strand.
 * </ul>
 *
 * <p>Splits are made by region: each contig is cut into blocks of {@code blockLength} bases; the
 * blocks are shuffled (seeded) and dealt to test, then dev, until each holds its fraction of the
 * genome's bases; the rest is train. A window belongs to the block that contains it; windows that
 * straddle a block boundary are dropped, so windows of different splits never overlap. Classes
 * are balanced within each split by down-sampling the larger class (seeded); windows with N are
 * dropped. A {@link LeakageReport} (exact and shared-31-mer near duplicates) is computed on the
 * result, because repeats and paralogs can still put the same sequence in two regions.
 */
public final class TaskBuilder {

  /** What the labels mean. */
  public enum Kind {
    CODING_VS_INTERGENIC("intergenic", "coding"),
    PROMOTER_VS_BACKGROUND("background", "promoter");

    private final String negative;
    private final String positive;

    Kind(String negative, String positive) {
      this.negative = negative;
      this.positive = positive;
    }

    /** Class names in label order (0, 1). */
    public List<String> classNames() {
      return List.of(negative, positive);
    }

    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Kind fromId(String id) {
      for (Kind k : values()) {
        if (k.id().equals(id)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown task kind '" + id + "', expected one of "
          + java.util.Arrays.stream(values()).map(Kind::id).toList());
    }
  }

  /**
   * @param stride distance between the starts of consecutive windows of one region; equal to
   *     {@code windowLength} for non-overlapping windows
   * @param dropNearDuplicates before balancing, drop dev windows that are exact or near
   *     duplicates (see {@link LeakageReport}) of a train candidate, and test windows that are
   *     duplicates of a train or dev candidate; the count is in {@link Stats#droppedAsLeaked()}
   */
  public record Options(Kind kind, int windowLength, int stride, int blockLength,
      double devFraction, double testFraction, long seed, boolean dropNearDuplicates) {

    public Options {
      if (kind == null) {
        throw new IllegalArgumentException("kind is null");
      }
      if (windowLength < 10) {
        throw new IllegalArgumentException("windowLength must be >= 10, got " + windowLength);
      }
      if (stride < 1) {
        throw new IllegalArgumentException("stride must be >= 1, got " + stride);
      }
      if (blockLength < 10 * windowLength) {
        throw new IllegalArgumentException("blockLength must be at least 10 windows ("
            + 10 * windowLength + "), got " + blockLength);
      }
      if (!(devFraction > 0) || !(testFraction > 0) || devFraction + testFraction >= 0.9) {
        throw new IllegalArgumentException("dev and test fractions must be > 0 and leave at"
            + " least 10% for train, got " + devFraction + " and " + testFraction);
      }
    }

    /**
     * Non-overlapping 200 bp windows, 20 kb blocks, 80/10/10, seed 42, near duplicates of
     * earlier splits dropped.
     */
    public static Options defaults(Kind kind) {
      return new Options(kind, 200, 200, 20_000, 0.1, 0.1, 42, true);
    }
  }

  /**
   * One window of the built task, with where it comes from. start/end: 0-based, half-open.
   *
   * @param name the interval's own name (a BED name column), null when it has none
   */
  public record Window(String contig, int start, int end, Strand strand, int label,
      String sequence, String name) {
    /** A window without a name of its own. */
    public Window(String contig, int start, int end, Strand strand, int label, String sequence) {
      this(contig, start, end, strand, label, sequence, null);
    }

    /**
     * The window's id: its name, else {@code contig:start-end(strand)} as {@link TaskWriter}'s
     * columns give it ({@link CsvSequenceReader} reads the same id back).
     */
    public String id() {
      return name != null ? name : contig + ":" + start + "-" + end + "("
          + TaskWriter.strandSymbol(strand) + ")";
    }
  }

  /** Per split: blocks and bases assigned, candidate windows per class, windows kept. */
  public record SplitStats(int blocks, long bases, int negativeCandidates,
      int positiveCandidates, int kept) {}

  /** What the builder saw and dropped. */
  public record Stats(int contigs, long genomeBases, int cdsFeatures, int blocks,
      Map<String, SplitStats> splits, int droppedWithN, int droppedAcrossBlocks,
      int droppedAsLeaked) {}

  /** The built task, its windows (same order as the task's records), leakage and statistics. */
  public record Result(SequenceTask task, Map<String, List<Window>> windows,
      LeakageReport leakage, Stats stats) {}

  private static final List<String> SPLITS = List.of("train", "dev", "test");
  private static final Set<String> NOT_ANNOTATION = Set.of("source", "region");

  private TaskBuilder() {}

  public static Result build(String name, List<AnnotatedContig> genome, Options options) {
    if (genome.isEmpty()) {
      throw new IllegalArgumentException("the genome has no contigs");
    }
    Random random = new Random(options.seed());
    Map<String, Integer> blockSplit = new LinkedHashMap<>();
    Map<String, long[]> basesAndBlocks = new LinkedHashMap<>();
    assignBlocks(genome, options.blockLength(), options.devFraction(), options.testFraction(),
        random, blockSplit, basesAndBlocks);

    // candidates[split][label]
    Map<String, List<List<Window>>> candidates = new LinkedHashMap<>();
    for (String split : SPLITS) {
      candidates.put(split, List.of(new ArrayList<>(), new ArrayList<>()));
    }
    int[] dropped = new int[2]; // 0: N, 1: across blocks
    int cds = 0;
    for (AnnotatedContig contig : genome) {
      List<Window> windows = options.kind() == Kind.CODING_VS_INTERGENIC
          ? codingVsIntergenic(contig, options, random)
          : promoterVsBackground(contig, options, random);
      cds += (int) contig.features().stream().filter(f -> f.type().equals("CDS")).count();
      for (Window w : windows) {
        int block = w.start() / options.blockLength();
        if ((w.end() - 1) / options.blockLength() != block) {
          dropped[1]++;
          continue;
        }
        if (w.sequence().indexOf('N') >= 0) {
          dropped[0]++;
          continue;
        }
        String split = SPLITS.get(blockSplit.get(contig.id() + "\t" + block));
        candidates.get(split).get(w.label()).add(w);
      }
    }

    int droppedAsLeaked = options.dropNearDuplicates() ? dropLeaked(candidates) : 0;

    Map<String, List<Window>> kept = new LinkedHashMap<>();
    Map<String, SplitStats> splitStats = new LinkedHashMap<>();
    for (String split : SPLITS) {
      List<Window> negatives = candidates.get(split).get(0);
      List<Window> positives = candidates.get(split).get(1);
      int n = Math.min(negatives.size(), positives.size());
      Collections.shuffle(negatives, random);
      Collections.shuffle(positives, random);
      List<Window> balanced = new ArrayList<>(2 * n);
      balanced.addAll(negatives.subList(0, n));
      balanced.addAll(positives.subList(0, n));
      Collections.shuffle(balanced, random);
      kept.put(split, balanced);
      long[] bb = basesAndBlocks.get(split);
      splitStats.put(split, new SplitStats((int) bb[1], bb[0], negatives.size(),
          positives.size(), balanced.size()));
      if (n == 0) {
        throw new IllegalArgumentException(name + ": the " + split + " split has no "
            + (negatives.isEmpty() ? options.kind().classNames().get(0)
                : options.kind().classNames().get(1))
            + " windows; use a larger genome, shorter windows or larger fractions");
      }
    }
    SequenceTask task = new SequenceTask(name, 2, toRecords(kept.get("train")),
        toRecords(kept.get("dev")), toRecords(kept.get("test")),
        SequenceTask.OFFICIAL_SPLITS, 0);
    LeakageReport leakage = LeakageCheck.check(task);
    long genomeBases = genome.stream().mapToLong(AnnotatedContig::length).sum();
    Stats stats = new Stats(genome.size(), genomeBases, cds, blockSplit.size(), splitStats,
        dropped[0], dropped[1], droppedAsLeaked);
    return new Result(task, kept, leakage, stats);
  }

  /**
   * Removes dev candidates that duplicate train candidates, then test candidates that duplicate
   * train or (remaining) dev candidates. Returns how many were removed.
   */
  static int dropLeaked(Map<String, List<List<Window>>> candidates) {
    int removed = 0;
    List<String> reference = new ArrayList<>();
    for (List<Window> byLabel : candidates.get("train")) {
      byLabel.forEach(w -> reference.add(w.sequence()));
    }
    for (String split : List.of("dev", "test")) {
      LeakageCheck.ReferenceIndex index = new LeakageCheck.ReferenceIndex(reference,
          LeakageCheck.DEFAULT_K);
      for (List<Window> byLabel : candidates.get(split)) {
        int before = byLabel.size();
        byLabel.removeIf(w -> index.leaks(w.sequence(),
            LeakageCheck.DEFAULT_NEAR_DUPLICATE_FRACTION));
        removed += before - byLabel.size();
      }
      for (List<Window> byLabel : candidates.get(split)) {
        byLabel.forEach(w -> reference.add(w.sequence()));
      }
    }
    return removed;
  }

  private static List<LabeledSequence> toRecords(List<Window> windows) {
    List<LabeledSequence> records = new ArrayList<>(windows.size());
    for (Window w : windows) {
      records.add(new LabeledSequence(w.sequence(), w.label(), w.id()));
    }
    return records;
  }

  /**
   * Deals shuffled blocks to test, then dev, by bases; the rest goes to train. {@code blockSplit}
   * receives {@code contig + "\t" + blockIndex} to 0 (train), 1 (dev) or 2 (test); {@code
   * basesAndBlocks} split name to {bases, blocks}. Shared with {@link BedTaskBuilder}.
   */
  static void assignBlocks(List<AnnotatedContig> genome, int blockLength, double devFraction,
      double testFraction, Random random, Map<String, Integer> blockSplit,
      Map<String, long[]> basesAndBlocks) {
    record Block(String key, int length) {}
    List<Block> blocks = new ArrayList<>();
    long total = 0;
    for (AnnotatedContig contig : genome) {
      for (int start = 0, i = 0; start < contig.length(); start += blockLength, i++) {
        int length = Math.min(blockLength, contig.length() - start);
        blocks.add(new Block(contig.id() + "\t" + i, length));
        total += length;
      }
    }
    Collections.shuffle(blocks, random);
    double[] targets = {0, devFraction * total, testFraction * total};
    long[][] assigned = new long[3][2];
    for (Block block : blocks) {
      int split = assigned[2][0] < targets[2] ? 2 : assigned[1][0] < targets[1] ? 1 : 0;
      blockSplit.put(block.key(), split);
      assigned[split][0] += block.length();
      assigned[split][1]++;
    }
    for (int s = 0; s < 3; s++) {
      basesAndBlocks.put(SPLITS.get(s), assigned[s]);
    }
  }

  private static List<Window> codingVsIntergenic(AnnotatedContig contig, Options options,
      Random random) {
    int length = options.windowLength();
    List<Window> windows = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (Feature f : contig.features()) {
      if (!f.type().equals("CDS")) {
        continue;
      }
      for (Interval part : f.parts()) {
        if (f.strand() == Strand.REVERSE) {
          for (int end = part.end(); end - length >= part.start(); end -= options.stride()) {
            addWindow(windows, seen, contig, end - length, end, Strand.REVERSE, 1);
          }
        } else {
          for (int start = part.start(); start + length <= part.end();
              start += options.stride()) {
            addWindow(windows, seen, contig, start, start + length, Strand.FORWARD, 1);
          }
        }
      }
    }
    for (Interval gap : gaps(contig)) {
      for (int start = gap.start(); start + length <= gap.end(); start += options.stride()) {
        Strand strand = random.nextBoolean() ? Strand.FORWARD : Strand.REVERSE;
        addWindow(windows, seen, contig, start, start + length, strand, 0);
      }
    }
    return windows;
  }

  private static List<Window> promoterVsBackground(AnnotatedContig contig, Options options,
      Random random) {
    int length = options.windowLength();
    List<Feature> cds = contig.features().stream().filter(f -> f.type().equals("CDS")).toList();
    List<Window> windows = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    List<Integer> cdsStarts = new ArrayList<>();
    for (Feature f : cds) {
      boolean reverse = f.strand() == Strand.REVERSE;
      cdsStarts.add(reverse ? f.end() - 1 : f.start());
      // A partial CDS may start outside the contig: its upstream region is unknown.
      if (f.partial() && (reverse ? f.end() == contig.length() : f.start() == 0)) {
        continue;
      }
      int start = reverse ? f.end() : f.start() - length;
      int end = start + length;
      if (start < 0 || end > contig.length()) {
        continue;
      }
      Interval upstream = new Interval(start, end);
      boolean insideSameStrandGene = cds.stream().anyMatch(other -> other != f
          && other.strand() == f.strand() && other.span().overlaps(upstream));
      if (!insideSameStrandGene) {
        addWindow(windows, seen, contig, start, end, reverse ? Strand.REVERSE : Strand.FORWARD,
            1);
      }
    }
    int[] starts = cdsStarts.stream().mapToInt(Integer::intValue).sorted().toArray();
    for (int start = 0; start + length <= contig.length(); start += options.stride()) {
      if (!nearAny(starts, start - length, start + 2 * length)) {
        Strand strand = random.nextBoolean() ? Strand.FORWARD : Strand.REVERSE;
        addWindow(windows, seen, contig, start, start + length, strand, 0);
      }
    }
    return windows;
  }

  /** Whether a sorted array holds a value in {@code [from, to)}. */
  private static boolean nearAny(int[] sorted, int from, int to) {
    int i = java.util.Arrays.binarySearch(sorted, from);
    int insertion = i >= 0 ? i : -i - 1;
    return insertion < sorted.length && sorted[insertion] < to;
  }

  /** Regions covered by no annotated feature (features of type source/region do not count). */
  static List<Interval> gaps(AnnotatedContig contig) {
    List<Interval> spans = new ArrayList<>();
    for (Feature f : contig.features()) {
      if (!NOT_ANNOTATION.contains(f.type())) {
        spans.add(f.span());
      }
    }
    spans.sort(Comparator.naturalOrder());
    List<Interval> gaps = new ArrayList<>();
    int covered = 0;
    for (Interval span : spans) {
      if (span.start() > covered) {
        gaps.add(new Interval(covered, span.start()));
      }
      covered = Math.max(covered, span.end());
    }
    if (covered < contig.length()) {
      gaps.add(new Interval(covered, contig.length()));
    }
    return gaps;
  }

  private static void addWindow(List<Window> windows, Set<Long> seen, AnnotatedContig contig,
      int start, int end, Strand strand, int label) {
    // Overlapping genes on one strand yield the same window twice: keep one.
    long key = ((long) start << 2) | (strand == Strand.REVERSE ? 1 : 0) | ((long) label << 1);
    if (!seen.add(key)) {
      return;
    }
    String forward = contig.sequence().substring(start, end);
    String sequence = strand == Strand.REVERSE && forward.indexOf('N') < 0
        ? Dna.reverseComplement(forward) : forward;
    windows.add(new Window(contig.id(), start, end, strand, label, sequence));
  }
}
