package io.dnalab.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Looks for the evaluation sequences of tasks (dev and test) in a pretraining corpus, before
 * pretraining: a model pretrained on its test sequences has seen them, and its gain over random
 * initialisation is then partly memory.
 *
 * <p>Definitions (k = {@value #K}, strand-independent):
 *
 * <ul>
 *   <li>the k-mers of a sequence are its length − k + 1 windows of k bases that hold no N, each
 *       read canonically (the smaller 2-bit code of the k-mer and its reverse complement), counted
 *       with multiplicity;
 *   <li><b>exact copy</b>: the whole sequence, or its reverse complement, occurs base for base at
 *       consecutive positions of one corpus record. A sequence holding N is never an exact copy (N
 *       is not a base and matches nothing);
 *   <li><b>near copy</b>: at least {@value #NEAR_COPY_FRACTION} of its k-mers (as a fraction of
 *       its k-mers, N-free ones only) occur somewhere in the corpus, on either strand. Every exact
 *       copy is also a near copy (all of its k-mers occur); the near count includes them;
 *   <li><b>too short</b>: a sequence with no k-mer (shorter than k, or N in every k-window) is
 *       counted as screened and too short, and is neither;
 *   <li><b>matched regions</b> of a group of sequences: the corpus bases covered by any occurrence
 *       (either strand) of a k-mer of one of its near copies, merged into maximal runs. A
 *       repeat-rich near copy (an Alu, say) touches every copy of that repeat; that is the point:
 *       those are the bases pretraining would see again.
 * </ul>
 *
 * <p>A 31-mer occurs in a random genome of G bases with probability about G / 4^31 (5·10^-11 for
 * human chr20), so a shared 31-mer means shared sequence, never chance.
 *
 * <p>Method: the canonical k-mers of every task sequence go into one hash set; then one streaming
 * pass over each corpus FASTA with a rolling 2-bit encoding (N resets it; k-mers never cross a
 * record) looks up every corpus k-mer, keeping the k-mers found and every hit's position and
 * forward code. Near copies are counted from the k-mers found; exact copies are confirmed from
 * the hits (each of the sequence's k-mers at consecutive positions, in one orientation; k-mer codes
 * determine the bases, so that is a base-for-base match). Positions are offsets into the genome's
 * records concatenated, N included: the coordinates of {@link Corpus}.
 */
public final class CorpusLeakageScreen {
  /**
   * Version of the screen's definitions: part of the key of a pretraining that excludes what it
   * finds. Bump it when what counts as a match changes.
   */
  public static final int VERSION = 1;

  /** k-mer length: long enough that a shared k-mer is never chance in any genome. */
  public static final int K = 31;
  /** A sequence sharing at least this fraction of its k-mers with the corpus is a near copy. */
  public static final double NEAR_COPY_FRACTION = 0.5;

  private static final long MASK = (1L << (2 * K)) - 1;

  /** Sequences of one task split, screened and counted together. */
  public record Group(String task, String split, List<String> sequences) {
    public Group {
      sequences = List.copyOf(sequences);
    }
  }

  /**
   * What a screen found: the counts, and the matched regions of every group together (per genome,
   * sorted, disjoint {@code [start, end)} pairs) for {@link Corpus#excluding}.
   */
  public record Result(CorpusLeakageReport report, Map<String, long[][]> matchedRegions) {}

  private final List<Group> groups;
  private final LongHashSet taskKmers;

  public CorpusLeakageScreen(List<Group> groups) {
    this.groups = List.copyOf(groups);
    long estimate = 0;
    for (Group group : groups) {
      for (String s : group.sequences()) {
        estimate += Math.max(0, s.length() - K + 1);
      }
    }
    taskKmers = new LongHashSet((int) Math.min(Math.max(estimate, 16), 1 << 28));
    for (Group group : groups) {
      for (String s : group.sequences()) {
        Dna.forEachCanonicalKmer(s, K, taskKmers::add);
      }
    }
  }

  /** The dev and test splits of a loaded task, named {@code taskId}. */
  public static List<Group> evaluationGroups(String taskId, SequenceTask task) {
    return List.of(new Group(taskId, "dev", LeakageCheck.sequences(task.dev())),
        new Group(taskId, "test", LeakageCheck.sequences(task.test())));
  }

  /**
   * Screens the corpus made of {@code genomeFiles} (genome id → FASTA, optionally gzipped, read
   * under {@link Corpus#BASE_POLICY} like a pretraining corpus).
   */
  public Result screen(Map<String, Path> genomeFiles) {
    Map<String, List<Path>> lists = new LinkedHashMap<>();
    genomeFiles.forEach((id, file) -> lists.put(id, List.of(file)));
    return screenFiles(lists);
  }

  /**
   * {@link #screen} of genomes read from several files each (a corpus folder): a genome's files
   * one after the other, positions counted on as {@link Corpus} concatenates them.
   */
  public Result screenFiles(Map<String, List<Path>> genomeFiles) {
    long started = System.nanoTime();
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuStarted = threads.getCurrentThreadCpuTime();
    LongHashSet found = new LongHashSet(1 << 16);
    Map<String, Hits> hitsByGenome = new LinkedHashMap<>();
    long corpusBases = 0;
    for (Map.Entry<String, List<Path>> genome : genomeFiles.entrySet()) {
      Scanner scanner = new Scanner(found);
      for (Path file : genome.getValue()) {
        FastaReader.read(file, Corpus.BASE_POLICY, scanner);
      }
      hitsByGenome.put(genome.getKey(), scanner.hits);
      corpusBases += scanner.position;
    }
    List<CorpusLeakageReport.Counts> counts = new ArrayList<>();
    LongHashSet allFlaggedKmers = new LongHashSet(1 << 10);
    for (Group group : groups) {
      LongHashSet flaggedKmers = new LongHashSet(1 << 10);
      int tooShort = 0;
      int near = 0;
      List<String> nearCopies = new ArrayList<>();
      for (String s : group.sequences()) {
        long[] shared = new long[2]; // {k-mers, of which found in the corpus}
        Dna.forEachCanonicalKmer(s, K, code -> {
          shared[0]++;
          shared[1] += found.contains(code) ? 1 : 0;
        });
        if (shared[0] == 0) {
          tooShort++;
        } else if (shared[1] >= NEAR_COPY_FRACTION * shared[0]) {
          near++;
          nearCopies.add(s);
          Dna.forEachCanonicalKmer(s, K, code -> {
            if (found.contains(code)) {
              flaggedKmers.add(code);
              allFlaggedKmers.add(code);
            }
          });
        }
      }
      int exact = exactCopies(nearCopies, hitsByGenome);
      long regions = 0;
      long bases = 0;
      for (Hits hits : hitsByGenome.values()) {
        long[][] merged = hits.regions(flaggedKmers);
        regions += merged.length;
        for (long[] region : merged) {
          bases += region[1] - region[0];
        }
      }
      counts.add(new CorpusLeakageReport.Counts(group.task(), group.split(),
          group.sequences().size(), tooShort, exact, near, regions, bases));
    }
    Map<String, long[][]> matched = new LinkedHashMap<>();
    hitsByGenome.forEach((genome, hits) -> matched.put(genome, hits.regions(allFlaggedKmers)));
    double seconds = (System.nanoTime() - started) / 1e9;
    double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e9;
    return new Result(new CorpusLeakageReport(K, NEAR_COPY_FRACTION,
        List.copyOf(genomeFiles.keySet()), corpusBases, counts, seconds, cpuSeconds), matched);
  }

  /**
   * How many of {@code sequences} (near copies: few) occur whole, on either strand, in one genome:
   * their forward k-mer codes at consecutive hit positions. One pass over the hits, looking up
   * each hit's code among the chains' first codes.
   */
  private static int exactCopies(List<String> sequences, Map<String, Hits> hitsByGenome) {
    Map<Long, List<Integer>> chainsByFirstCode = new java.util.HashMap<>();
    List<long[]> chains = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    for (int s = 0; s < sequences.size(); s++) {
      String sequence = sequences.get(s).toUpperCase(java.util.Locale.ROOT);
      if (sequence.length() < K || !sequence.matches("[ACGT]+")) {
        continue; // N matches nothing: never an exact copy
      }
      for (String strand : List.of(sequence, Dna.reverseComplement(sequence))) {
        long[] chain = forwardCodes(strand);
        chainsByFirstCode.computeIfAbsent(chain[0], c -> new ArrayList<>()).add(chains.size());
        chains.add(chain);
        owners.add(s);
      }
    }
    boolean[] exact = new boolean[sequences.size()];
    for (Hits hits : hitsByGenome.values()) {
      for (int i = 0; i < hits.size; i++) {
        List<Integer> candidates = chainsByFirstCode.get(hits.codes[i]);
        if (candidates == null) {
          continue;
        }
        for (int c : candidates) {
          if (!exact[owners.get(c)] && hits.chainStartsAt(i, chains.get(c))) {
            exact[owners.get(c)] = true;
          }
        }
      }
    }
    int count = 0;
    for (boolean e : exact) {
      count += e ? 1 : 0;
    }
    return count;
  }

  /** The 2-bit forward code of each k-window of an upper-case ACGT sequence. */
  private static long[] forwardCodes(String sequence) {
    long[] codes = new long[sequence.length() - K + 1];
    long code = 0;
    for (int i = 0; i < sequence.length(); i++) {
      code = ((code << 2) | Dna.code(sequence.charAt(i))) & MASK;
      if (i >= K - 1) {
        codes[i - K + 1] = code;
      }
    }
    return codes;
  }

  /** The 2-bit code of the reverse complement of a k-mer's code. */
  static long reverseComplementCode(long code) {
    long complement = ~code & MASK;
    // Reverse the order of the 2-bit groups: reverse all bits, swap the bits within each pair
    // back, then drop the 64 - 2k empty low bits the reversal produced.
    long reversed = Long.reverse(complement);
    reversed = ((reversed >>> 1) & 0x5555555555555555L) | ((reversed & 0x5555555555555555L) << 1);
    return reversed >>> (64 - 2 * K);
  }

  /** The corpus k-mers that are task k-mers: position and forward code, in position order. */
  private static final class Hits {
    long[] positions = new long[1024];
    long[] codes = new long[1024];
    int size;

    void add(long position, long code) {
      if (size == positions.length) {
        positions = Arrays.copyOf(positions, size * 2);
        codes = Arrays.copyOf(codes, size * 2);
      }
      positions[size] = position;
      codes[size] = code;
      size++;
    }

    /** Whether the forward codes {@code chain} occur at consecutive positions from hit i on. */
    boolean chainStartsAt(int i, long[] chain) {
      // hits are in position order, at most one per position: the next k-mer is the next hit
      for (int j = 0; j < chain.length; j++) {
        if (i + j >= size || positions[i + j] != positions[i] + j || codes[i + j] != chain[j]) {
          return false;
        }
      }
      return true;
    }

    /** Merged {@code [start, end)} runs of bases covered by hits whose k-mer is in {@code kmers}. */
    long[][] regions(LongHashSet kmers) {
      List<long[]> runs = new ArrayList<>();
      if (kmers.size() == 0) {
        return new long[0][];
      }
      long start = -1;
      long end = -1;
      for (int i = 0; i < size; i++) {
        long code = codes[i];
        if (!kmers.contains(Math.min(code, reverseComplementCode(code)))) {
          continue;
        }
        long s = positions[i];
        if (start >= 0 && s <= end) {
          end = Math.max(end, s + K); // overlapping or adjacent: one run
        } else {
          if (start >= 0) {
            runs.add(new long[] {start, end});
          }
          start = s;
          end = s + K;
        }
      }
      if (start >= 0) {
        runs.add(new long[] {start, end});
      }
      return runs.toArray(new long[0][]);
    }
  }

  /** One streaming pass over one genome: looks up every canonical k-mer in the task set. */
  private final class Scanner implements FastaReader.Handler {
    final LongHashSet found;
    final Hits hits = new Hits();
    /** Offset of the next base in the genome's records concatenated (N included). */
    long position;
    long forward;
    long reverse;
    int valid;

    Scanner(LongHashSet found) {
      this.found = found;
    }

    @Override
    public void startRecord(String id) {
      valid = 0; // k-mers never cross a record boundary
    }

    @Override
    public void bases(byte[] buffer, int from, int to) {
      final int shift = 2 * (K - 1);
      for (int i = from; i < to; i++, position++) {
        int c = Dna.code(buffer[i]);
        if (c < 0) {
          valid = 0;
          continue;
        }
        forward = ((forward << 2) | c) & MASK;
        reverse = (reverse >>> 2) | ((long) (3 - c) << shift);
        if (++valid >= K) {
          long canonical = Math.min(forward, reverse);
          if (taskKmers.contains(canonical)) {
            found.add(canonical);
            hits.add(position - K + 1, forward);
          }
        }
      }
    }

    @Override
    public void endRecord() {}
  }
}
