package io.dnalab.data;

import io.dnalab.spec.CorpusSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Pretraining windows sampled from genomes (a {@link CorpusSpec} made concrete).
 *
 * <p>Memory: each genome is one {@code byte[]} of upper-case {@code A C G T N}, records
 * concatenated; human chr20 takes 63 MB. Genomes are read under {@link
 * BasePolicy#LENIENT_CORPUS} (IUPAC ambiguity codes become N, soft-masked bases are upper-cased;
 * any other character is an error), and {@link #readReport()} says what that replaced.
 *
 * <p>Held-out split: every record is cut into {@value #BLOCK_SIZE}-base blocks (a tail shorter
 * than half a block joins the block before it); a block is held
 * out with probability {@code heldOutFraction}, drawn from a generator seeded by the genome id
 * only (never by the run seed), so every run, objective and seed validates on the same blocks
 * and no training window overlaps a held-out base. Each genome keeps at least one block on each
 * side. Windows never cross a block (or record) boundary.
 *
 * <p>Sampling: a genome is chosen with probability proportional to its weight, then a window start
 * uniformly among every valid start of that genome's blocks of the split (so within a genome,
 * proportionally to length). N policy: a window with more than {@code maxNFraction} N is rejected
 * and drawn again (at most {@value #MAX_DRAWS} times, then an error). Reverse-complement
 * augmentation, when on, flips a training window with probability 0.5.
 *
 * <p>Determinism: the windows of training step s are a pure function of (seed, s), drawn from a
 * generator seeded with both, so a resumed run sees exactly the windows an uninterrupted one
 * would, with no generator state to save. Validation windows depend on neither seed nor step.
 */
public final class Corpus {
  /** Size of the blocks the held-out split is drawn in. */
  public static final int BLOCK_SIZE = 100_000;
  static final int MAX_DRAWS = 1000;
  private static final long VALIDATION_SEED = 0x5EEDL;

  /** The base policy genomes are read under. */
  public static final BasePolicy BASE_POLICY = BasePolicy.LENIENT_CORPUS;

  private final CorpusSpec spec;
  private final List<Genome> genomes;
  private final double[] cumulativeWeight;

  /** One genome in memory with its blocks of each split. */
  private static final class Genome {
    final String id;
    final byte[] bases;
    final Blocks train;
    final Blocks heldOut;
    final FastaReader.Summary read;

    Genome(String id, byte[] bases, Blocks train, Blocks heldOut, FastaReader.Summary read) {
      this.id = id;
      this.bases = bases;
      this.train = train;
      this.heldOut = heldOut;
      this.read = read;
    }
  }

  /**
   * How one genome was read, for provenance: the base policy and what it replaced.
   *
   * @param softMaskedBases lower-case bases upper-cased
   * @param ambiguityCodesAsN IUPAC ambiguity codes read as N
   * @param emptyRecords records without bases (skipped)
   */
  public record GenomeRead(String genome, String policy, long records, long emptyRecords,
      long bases, long softMaskedBases, long ambiguityCodesAsN) {}

  /** What reading each genome found, in the order of the spec. */
  public List<GenomeRead> readReport() {
    List<GenomeRead> report = new ArrayList<>();
    for (Genome genome : genomes) {
      FastaReader.Summary read = genome.read;
      report.add(new GenomeRead(genome.id, read.policy().name(), read.records(),
          read.emptyRecords(), read.bases(), read.softMaskedBases(), read.ambiguityCodesAsN()));
    }
    return report;
  }

  /** Blocks of one split: starts, lengths. */
  private record Blocks(long[] starts, int[] lengths, long bases) {}

  private Corpus(CorpusSpec spec, List<Genome> genomes) {
    this.spec = spec;
    this.genomes = genomes;
    double total = spec.genomes().stream().mapToDouble(CorpusSpec.GenomeSource::weight).sum();
    cumulativeWeight = new double[genomes.size()];
    double running = 0;
    for (int i = 0; i < genomes.size(); i++) {
      running += spec.genomes().get(i).weight() / total;
      cumulativeWeight[i] = running;
    }
  }

  /**
   * Loads the corpus's genomes: catalog genomes through the catalog (verified files), a user's
   * FASTA file or folder as {@link CorpusFiles#fastaFiles} lists it.
   */
  public static Corpus load(CorpusSpec spec, DatasetCatalog catalog) {
    Map<String, List<Path>> files = new LinkedHashMap<>();
    for (CorpusSpec.GenomeSource source : spec.genomes()) {
      files.put(source.id(), catalog.genomeFiles(source));
    }
    return loadFiles(spec, files);
  }

  /** Loads the corpus from FASTA files, one per genome id of {@code spec}. */
  public static Corpus load(CorpusSpec spec, Map<String, Path> files) {
    Map<String, List<Path>> lists = new LinkedHashMap<>();
    files.forEach((id, file) -> lists.put(id, List.of(file)));
    return loadFiles(spec, lists);
  }

  /**
   * Loads the corpus from FASTA files, a list per genome id of {@code spec}: a genome's files are
   * read in list order, their records one after the other.
   */
  public static Corpus loadFiles(CorpusSpec spec, Map<String, List<Path>> files) {
    List<Genome> genomes = new ArrayList<>();
    for (CorpusSpec.GenomeSource source : spec.genomes()) {
      List<Path> genomeFiles = files.get(source.id());
      if (genomeFiles == null || genomeFiles.isEmpty()) {
        throw new IllegalArgumentException("no FASTA file for genome " + source.id());
      }
      genomes.add(read(source.id(), genomeFiles, spec.heldOutFraction()));
    }
    return new Corpus(spec, genomes);
  }

  /**
   * This corpus without {@code regions} (genome id → sorted, disjoint {@code [start, end)} base
   * ranges, e.g. {@link CorpusLeakageScreen.Result#matchedRegions()}): each block of either split
   * is cut around them, so no training or held-out window overlaps an excluded base. Blocks keep
   * their split; everything else (weights, seeds, N policy) is unchanged.
   */
  public Corpus excluding(Map<String, long[][]> regions) {
    List<Genome> kept = new ArrayList<>();
    for (Genome genome : genomes) {
      long[][] cut = regions.getOrDefault(genome.id, new long[0][]);
      kept.add(cut.length == 0 ? genome : new Genome(genome.id, genome.bases,
          without(genome.train, cut), without(genome.heldOut, cut), genome.read));
    }
    return new Corpus(spec, kept);
  }

  /** The parts of {@code blocks} outside {@code regions} (sorted, disjoint). */
  private static Blocks without(Blocks blocks, long[][] regions) {
    List<long[]> parts = new ArrayList<>(); // {start, length}
    for (int b = 0; b < blocks.starts().length; b++) {
      long start = blocks.starts()[b];
      long end = start + blocks.lengths()[b];
      for (long[] region : regions) {
        if (region[1] <= start || region[0] >= end) {
          continue;
        }
        if (region[0] > start) {
          parts.add(new long[] {start, region[0] - start});
        }
        start = Math.max(start, region[1]);
      }
      if (end > start) {
        parts.add(new long[] {start, end - start});
      }
    }
    long[] starts = new long[parts.size()];
    int[] lengths = new int[parts.size()];
    long total = 0;
    for (int i = 0; i < starts.length; i++) {
      starts[i] = parts.get(i)[0];
      lengths[i] = (int) parts.get(i)[1];
      total += lengths[i];
    }
    return new Blocks(starts, lengths, total);
  }

  /** How many windows of {@code length} bases a split offers: every start inside one block. */
  long windowStarts(boolean heldOut, int length) {
    long total = 0;
    for (Genome genome : genomes) {
      for (int blockLength : (heldOut ? genome.heldOut : genome.train).lengths()) {
        total += Math.max(0, blockLength - length + 1);
      }
    }
    return total;
  }

  public CorpusSpec spec() {
    return spec;
  }

  /** Bases of each split over all genomes: {@code [train, heldOut]}. */
  public long[] splitBases() {
    long[] out = new long[2];
    for (Genome genome : genomes) {
      out[0] += genome.train.bases();
      out[1] += genome.heldOut.bases();
    }
    return out;
  }

  /**
   * The {@code count} training windows of step {@code step}, each {@code length} bases of
   * {@code A C G T N}.
   */
  public byte[][] trainingWindows(long seed, long step, int count, int length) {
    SplittableRandom random = new SplittableRandom(mix(seed, step));
    byte[][] windows = new byte[count][];
    for (int i = 0; i < count; i++) {
      windows[i] = draw(random, length, false);
      if (spec.reverseComplement() && random.nextBoolean()) {
        Dna.reverseComplementInPlace(windows[i]);
      }
    }
    return windows;
  }

  /** {@code count} held-out windows; the same for every run of this corpus (no augmentation). */
  public byte[][] validationWindows(int count, int length) {
    SplittableRandom random = new SplittableRandom(VALIDATION_SEED);
    byte[][] windows = new byte[count][];
    for (int i = 0; i < count; i++) {
      windows[i] = draw(random, length, true);
    }
    return windows;
  }

  /** Whether [start, start + length) of {@code genomeId} overlaps a held-out block (tests). */
  boolean overlapsHeldOut(String genomeId, long start, int length) {
    for (Genome genome : genomes) {
      if (genome.id.equals(genomeId)) {
        Blocks blocks = genome.heldOut;
        for (int b = 0; b < blocks.starts().length; b++) {
          if (start < blocks.starts()[b] + blocks.lengths()[b]
              && blocks.starts()[b] < start + length) {
            return true;
          }
        }
        return false;
      }
    }
    throw new IllegalArgumentException("no genome " + genomeId);
  }

  /** Position of the last window drawn, for tests: genome id and start. */
  private String lastGenome;
  private long lastStart;

  String lastGenome() {
    return lastGenome;
  }

  long lastStart() {
    return lastStart;
  }

  private byte[] draw(SplittableRandom random, int length, boolean heldOut) {
    int maxN = (int) Math.floor(spec.maxNFraction() * length);
    for (int attempt = 0; attempt < MAX_DRAWS; attempt++) {
      Genome genome = genomes.get(pickGenome(random.nextDouble()));
      Blocks blocks = heldOut ? genome.heldOut : genome.train;
      long start = pickStart(blocks, length, random);
      if (start < 0) {
        throw new IllegalArgumentException("genome " + genome.id + " has no "
            + (heldOut ? "held-out" : "training") + " block of at least " + length
            + " bases; use shorter windows");
      }
      int n = 0;
      byte[] window = Arrays.copyOfRange(genome.bases, (int) start, (int) start + length);
      for (byte b : window) {
        if (b == 'N') {
          n++;
        }
      }
      if (n <= maxN) {
        lastGenome = genome.id;
        lastStart = start;
        return window;
      }
    }
    throw new IllegalArgumentException("corpus " + spec.name() + ": no window of " + length
        + " bases with at most " + spec.maxNFraction() + " N found in " + MAX_DRAWS
        + " draws; raise maxNFraction or shorten the windows");
  }

  private int pickGenome(double u) {
    for (int i = 0; i < cumulativeWeight.length - 1; i++) {
      if (u < cumulativeWeight[i]) {
        return i;
      }
    }
    return cumulativeWeight.length - 1;
  }

  /** A uniform start among every start whose window fits in one block; -1 when none. */
  private static long pickStart(Blocks blocks, int length, SplittableRandom random) {
    long total = 0;
    for (int length1 : blocks.lengths()) {
      total += Math.max(0, length1 - length + 1);
    }
    if (total == 0) {
      return -1;
    }
    long r = random.nextLong(total);
    for (int b = 0; b < blocks.lengths().length; b++) {
      long valid = Math.max(0, blocks.lengths()[b] - length + 1);
      if (r < valid) {
        return blocks.starts()[b] + r;
      }
      r -= valid;
    }
    throw new IllegalStateException("unreachable");
  }

  /** SplitMix64-style mixing of seed and step into one generator seed. */
  static long mix(long seed, long step) {
    long z = seed * 0x9E3779B97F4A7C15L + step + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Reads one genome as A C G T N bytes and cuts it into held-out and training blocks. */
  private static Genome read(String id, List<Path> files, double heldOutFraction) {
    GenomeBuilder builder = new GenomeBuilder();
    FastaReader.Summary read = null;
    for (Path file : files) {
      FastaReader.Summary one = FastaReader.read(file, BASE_POLICY, builder);
      if (one.records() == one.emptyRecords()) {
        // an empty file, or headers only: nothing to pretrain on, and most likely a wrong file
        throw DataFormatException.ofFile(file, one.records() == 0 ? "holds no FASTA records"
            : "holds no bases (" + one.records() + " records, all empty)");
      }
      read = read == null ? one : new FastaReader.Summary(read.file(), read.policy(),
          read.records() + one.records(), read.emptyRecords() + one.emptyRecords(),
          read.bases() + one.bases(), read.softMaskedBases() + one.softMaskedBases(),
          read.ambiguityCodesAsN() + one.ambiguityCodesAsN(), read.bytesRead() + one.bytesRead(),
          null);
    }
    byte[] bases = Arrays.copyOf(builder.bytes, (int) builder.length);
    List<long[]> blocks = new ArrayList<>(); // {start, length}
    for (int r = 0; r < builder.recordStarts.size(); r++) {
      long start = builder.recordStarts.get(r);
      long end = r + 1 < builder.recordStarts.size() ? builder.recordStarts.get(r + 1)
          : builder.length;
      for (long s = start; s < end; s += BLOCK_SIZE) {
        long length = Math.min(BLOCK_SIZE, end - s);
        if (length < BLOCK_SIZE / 2 && s > start) {
          blocks.get(blocks.size() - 1)[1] += length; // a short tail joins the block before it
        } else {
          blocks.add(new long[] {s, length});
        }
      }
    }
    SplittableRandom random = new SplittableRandom(VALIDATION_SEED ^ id.hashCode());
    boolean[] held = new boolean[blocks.size()];
    int heldCount = 0;
    for (int b = 0; b < held.length; b++) {
      held[b] = random.nextDouble() < heldOutFraction;
      heldCount += held[b] ? 1 : 0;
    }
    if (blocks.size() >= 2 && heldCount == 0) {
      held[random.nextInt(held.length)] = true;
    } else if (blocks.size() >= 2 && heldCount == held.length) {
      held[random.nextInt(held.length)] = false;
    }
    return new Genome(id, bases, blocksOf(blocks, held, false), blocksOf(blocks, held, true),
        read);
  }

  private static Blocks blocksOf(List<long[]> blocks, boolean[] held, boolean wanted) {
    List<long[]> chosen = new ArrayList<>();
    for (int b = 0; b < held.length; b++) {
      if (held[b] == wanted) {
        chosen.add(blocks.get(b));
      }
    }
    long[] starts = new long[chosen.size()];
    int[] lengths = new int[chosen.size()];
    long total = 0;
    for (int i = 0; i < starts.length; i++) {
      starts[i] = chosen.get(i)[0];
      lengths[i] = (int) chosen.get(i)[1];
      total += lengths[i];
    }
    return new Blocks(starts, lengths, total);
  }

  /** Collects a FASTA file's bases (normalized to A C G T N by the reader). */
  private static final class GenomeBuilder implements FastaReader.Handler {
    byte[] bytes = new byte[1 << 20];
    long length;
    final List<Long> recordStarts = new ArrayList<>();

    @Override
    public void startRecord(String name) {
      recordStarts.add(length);
    }

    @Override
    public void bases(byte[] buffer, int from, int to) {
      if (length + (to - from) > bytes.length) {
        long wanted = Math.max((long) bytes.length * 2, length + (to - from));
        if (wanted > Integer.MAX_VALUE - 16) {
          throw new IllegalStateException("genome longer than 2^31 bases");
        }
        bytes = Arrays.copyOf(bytes, (int) wanted);
      }
      System.arraycopy(buffer, from, bytes, (int) length, to - from);
      length += to - from;
    }

    @Override
    public void endRecord() {}
  }
}
