package io.dnalab.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a labelled task from BED intervals and a genome FASTA.
 *
 * <p>Labels: either from a column of one BED file (named by its 1-based number, or by its name
 * in a {@code #}-header line such as {@code #chrom start end label}; the distinct values, sorted,
 * are the classes), or one BED file per class (the file name without {@code .bed[.gz]} is the
 * class; label = position of the file on the command line).
 *
 * <p>Each interval (BED: 0-based, half-open) becomes one sequence: the interval widened by {@code
 * flank} bases on both sides, or, with a fixed length, {@code length} bases centred on the
 * interval; on a {@code -} strand interval the sequence is reverse-complemented (unless strand is
 * ignored). Bases are read under {@link BasePolicy#STRICT}.
 *
 * <p>Splits are made by region exactly as in {@link TaskBuilder}: the contigs that intervals
 * fall on are cut into blocks, blocks are dealt (seeded) to test, then dev, by bases; a sequence
 * that straddles a block boundary is dropped and counted; dev and test sequences that duplicate
 * an earlier split are dropped and counted. Classes are not re-balanced.
 *
 * <p>A sequence's id is the interval's name (BED column 4, when that is not the label column),
 * else {@code contig:start-end(strand)} of the sequence taken.
 *
 * <p>Errors name the BED file, line and value: an unknown contig, an interval (with flanks)
 * past either end of its contig, a label column missing, bad coordinates or strand.
 */
public final class BedTaskBuilder {

  /**
   * @param labelColumn 1-based column number or header name of the label; null when each BED
   *     file is one class
   * @param flank bases added on each side of an interval (ignored with {@code fixedLength})
   * @param fixedLength the length of every sequence, centred on its interval; 0 for the
   *     interval's own length (variable lengths)
   * @param strandAware reverse-complement intervals on the {@code -} strand
   */
  public record Options(String labelColumn, int flank, int fixedLength, boolean strandAware,
      int blockLength, double devFraction, double testFraction, long seed,
      boolean dropNearDuplicates) {
    public Options {
      if (flank < 0) {
        throw new IllegalArgumentException("flank must be >= 0, got " + flank);
      }
      if (fixedLength < 0) {
        throw new IllegalArgumentException("length must be >= 1 (or 0 for variable), got "
            + fixedLength);
      }
      if (blockLength < 1000) {
        throw new IllegalArgumentException("block length must be >= 1000, got " + blockLength);
      }
      if (!(devFraction > 0) || !(testFraction > 0) || devFraction + testFraction >= 0.9) {
        throw new IllegalArgumentException("dev and test fractions must be > 0 and leave at"
            + " least 10% for train, got " + devFraction + " and " + testFraction);
      }
    }
  }

  /** What was read and dropped. */
  public record Stats(int intervals, int contigs, int droppedAcrossBlocks, int droppedAsLeaked,
      Map<String, long[]> basesAndBlocks) {}

  /** The task, its sequences with coordinates (in the task's order), and class names. */
  public record Result(SequenceTask task, Map<String, List<TaskBuilder.Window>> windows,
      List<String> classNames, Stats stats) {}

  private record BedLine(String file, long line, String text, String contig, int start, int end,
      Strand strand, String className, String name) {}

  private static final List<String> SPLITS = List.of("train", "dev", "test");

  private BedTaskBuilder() {}

  public static Result build(String name, List<Path> bedFiles, Path genomeFasta,
      Options options) {
    if (bedFiles.isEmpty()) {
      throw new IllegalArgumentException("no BED file given");
    }
    if (options.labelColumn() == null && bedFiles.size() < 2) {
      throw new IllegalArgumentException("one BED file per class needs at least 2 files, got "
          + bedFiles.size() + "; or name the label column of a single file");
    }
    List<BedLine> lines = new ArrayList<>();
    List<String> classNames = new ArrayList<>();
    for (Path bed : bedFiles) {
      String fileClass = null;
      if (options.labelColumn() == null) {
        fileClass = bed.getFileName().toString().replaceAll("(?i)(\\.bed)?(\\.gz)?$", "");
        if (classNames.contains(fileClass)) {
          throw DataFormatException.ofFile(bed, "class '" + fileClass + "' is given by two BED"
              + " files; one file per class");
        }
        classNames.add(fileClass);
      }
      readBed(bed, options.labelColumn(), fileClass, lines);
    }
    if (options.labelColumn() != null) {
      Set<String> values = new TreeSet<>();
      lines.forEach(l -> values.add(l.className()));
      classNames.addAll(values);
    }
    if (classNames.size() < 2) {
      throw new IllegalArgumentException("the label column holds one value " + classNames
          + "; a classification task needs at least 2 classes");
    }
    Map<String, Integer> labelOf = new HashMap<>();
    for (int i = 0; i < classNames.size(); i++) {
      labelOf.put(classNames.get(i), i);
    }

    Set<String> wanted = new java.util.HashSet<>();
    lines.forEach(l -> wanted.add(l.contig()));
    List<AnnotatedContig> contigs = new ArrayList<>();
    List<String> allIds = new ArrayList<>();
    FastaReader.read(genomeFasta, BasePolicy.STRICT, record -> {
      allIds.add(record.id());
      if (wanted.contains(record.id())) {
        contigs.add(new AnnotatedContig(record.id(), record.sequence(), List.of()));
      }
    });
    Map<String, AnnotatedContig> byId = new HashMap<>();
    contigs.forEach(c -> byId.put(c.id(), c));

    Random random = new Random(options.seed());
    Map<String, Integer> blockSplit = new LinkedHashMap<>();
    Map<String, long[]> basesAndBlocks = new LinkedHashMap<>();
    // Every interval is checked (unknown contig, past the end) before any is dealt to a split.
    List<TaskBuilder.Window> windows = new ArrayList<>();
    for (BedLine l : lines) {
      windows.add(window(l, byId, allIds, genomeFasta, options, labelOf.get(l.className())));
    }
    TaskBuilder.assignBlocks(contigs, options.blockLength(), options.devFraction(),
        options.testFraction(), random, blockSplit, basesAndBlocks);
    Map<String, List<List<TaskBuilder.Window>>> candidates = new LinkedHashMap<>();
    for (String split : SPLITS) {
      List<List<TaskBuilder.Window>> byLabel = new ArrayList<>();
      classNames.forEach(c -> byLabel.add(new ArrayList<>()));
      candidates.put(split, byLabel);
    }
    int droppedAcrossBlocks = 0;
    for (TaskBuilder.Window w : windows) {
      int block = w.start() / options.blockLength();
      if ((w.end() - 1) / options.blockLength() != block) {
        droppedAcrossBlocks++;
        continue;
      }
      String split = SPLITS.get(blockSplit.get(w.contig() + "\t" + block));
      candidates.get(split).get(w.label()).add(w);
    }
    int droppedAsLeaked = options.dropNearDuplicates() ? TaskBuilder.dropLeaked(candidates) : 0;
    Map<String, List<TaskBuilder.Window>> kept = new LinkedHashMap<>();
    Map<String, List<LabeledSequence>> records = new LinkedHashMap<>();
    for (String split : SPLITS) {
      List<TaskBuilder.Window> all = new ArrayList<>();
      candidates.get(split).forEach(all::addAll);
      if (all.isEmpty()) {
        throw new IllegalArgumentException(name + ": the " + split + " split has no intervals ("
            + lines.size() + " intervals on " + contigs.size() + " contig(s), "
            + droppedAcrossBlocks + " across block boundaries); give more intervals, smaller"
            + " blocks (--block) or larger fractions");
      }
      // file order would put the classes in runs: shuffle (seeded), as TaskBuilder does
      Collections.shuffle(all, random);
      kept.put(split, all);
      records.put(split, all.stream().map(w -> new LabeledSequence(w.sequence(), w.label(), w.id()))
          .toList());
    }
    String protocol = String.format(Locale.ROOT, "built from BED intervals: regions of %d bp"
        + " dealt to splits (seed %d), %d intervals across block boundaries dropped, %d dev/test"
        + " duplicates of an earlier split dropped", options.blockLength(), options.seed(),
        droppedAcrossBlocks, droppedAsLeaked);
    SequenceTask task = new SequenceTask(name, classNames.size(), records.get("train"),
        records.get("dev"), records.get("test"), protocol, 0);
    return new Result(task, kept, List.copyOf(classNames), new Stats(lines.size(),
        contigs.size(), droppedAcrossBlocks, droppedAsLeaked, basesAndBlocks));
  }

  private static TaskBuilder.Window window(BedLine l, Map<String, AnnotatedContig> byId,
      List<String> allIds, Path genome, Options options, int label) {
    AnnotatedContig contig = byId.get(l.contig());
    if (contig == null) {
      throw new DataFormatException(l.file(), l.line(), 1, l.text(), "unknown contig '"
          + l.contig() + "': " + genome + " has " + allIds.size() + " sequence(s) "
          + (allIds.size() <= 10 ? allIds : allIds.subList(0, 10) + "...")
          + " (do the BED and the genome use the same names, e.g. chr1 vs 1?)");
    }
    int start;
    int end;
    if (options.fixedLength() > 0) {
      int centre = l.start() + (l.end() - l.start()) / 2;
      start = centre - options.fixedLength() / 2;
      end = start + options.fixedLength();
    } else {
      start = l.start() - options.flank();
      end = l.end() + options.flank();
    }
    String how = options.fixedLength() > 0 ? options.fixedLength() + " bp centred on it"
        : "with " + options.flank() + " bp flanks: " + start + "-" + end;
    if (start < 0) {
      throw new DataFormatException(l.file(), l.line(), 1, l.text(), "interval (" + how
          + ") starts before the start of contig " + l.contig());
    }
    if (end > contig.length()) {
      throw new DataFormatException(l.file(), l.line(), 1, l.text(), "interval (" + how
          + ") ends past the end of contig " + l.contig() + " (" + contig.length() + " bp)");
    }
    String forward = contig.sequence().substring(start, end);
    boolean reverse = options.strandAware() && l.strand() == Strand.REVERSE;
    return new TaskBuilder.Window(l.contig(), start, end,
        reverse ? Strand.REVERSE : Strand.FORWARD, label,
        reverse ? Dna.reverseComplement(forward) : forward, l.name());
  }

  private static void readBed(Path bed, String labelColumn, String fileClass,
      List<BedLine> out) {
    String file = bed.toString();
    int labelIndex = -1; // 0-based field
    if (labelColumn != null && labelColumn.matches("\\d+")) {
      labelIndex = Integer.parseInt(labelColumn) - 1;
      if (labelIndex < 3) {
        throw new IllegalArgumentException("label column " + labelColumn + " is a coordinate"
            + " column (1-3 are chrom, start, end); give column 4 or later");
      }
    }
    boolean sawData = false;
    try (LineSource source = new LineSource(bed)) {
      String text;
      while ((text = source.next()) != null) {
        long line = source.lineNumber();
        if (text.isBlank() || text.startsWith("track") || text.startsWith("browser")) {
          continue;
        }
        if (text.startsWith("#")) {
          if (labelColumn != null && labelIndex < 0 && !sawData) {
            List<String> names = List.of(text.substring(1).strip().split("\t"));
            labelIndex = names.indexOf(labelColumn);
          }
          continue;
        }
        if (labelColumn != null && labelIndex < 0) {
          throw new DataFormatException(file, line, 1, text, "no header line names a column '"
              + labelColumn + "' (expected a line such as #chrom<TAB>start<TAB>end<TAB>"
              + labelColumn + " before the intervals, or give the column's number)");
        }
        sawData = true;
        String[] fields = text.split("\t", -1);
        if (fields.length < 3) {
          fields = text.strip().split("\\s+");
        }
        if (fields.length < 3) {
          throw new DataFormatException(file, line, 1, text, "a BED line needs at least 3"
              + " tab-separated fields: chrom, start, end");
        }
        int start = coordinate(fields[1], "start", file, line, text);
        int end = coordinate(fields[2], "end", file, line, text);
        if (end <= start) {
          throw new DataFormatException(file, line, 1, text, "end " + end + " is not after start "
              + start + " (BED coordinates are 0-based, half-open)");
        }
        Strand strand = Strand.UNKNOWN;
        if (fields.length >= 6) {
          strand = switch (fields[5].strip()) {
            case "+" -> Strand.FORWARD;
            case "-" -> Strand.REVERSE;
            case "." -> Strand.UNKNOWN;
            default -> throw new DataFormatException(file, line, 1, text, "strand (column 6)"
                + " must be +, - or ., got '" + fields[5] + "'");
          };
        }
        String className = fileClass;
        if (labelColumn != null) {
          if (labelIndex >= fields.length || fields[labelIndex].isBlank()) {
            throw new DataFormatException(file, line, 1, text, "label column " + labelColumn
                + " (column " + (labelIndex + 1) + ") missing: the line has " + fields.length
                + " fields");
          }
          className = fields[labelIndex].strip();
        }
        // BED's 4th column names the interval, unless it is the label column; '.' is no name.
        String intervalName = fields.length >= 4 && labelIndex != 3 ? fields[3].strip() : "";
        out.add(new BedLine(file, line, text, fields[0], start, end, strand, className,
            intervalName.isEmpty() || intervalName.equals(".") ? null : intervalName));
      }
    }
    if (!sawData) {
      throw DataFormatException.ofFile(bed, "no intervals");
    }
  }

  private static int coordinate(String field, String what, String file, long line, String text) {
    try {
      int value = Integer.parseInt(field.strip());
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new DataFormatException(file, line, 1, text, what + " '" + field + "' is not a"
          + " non-negative integer");
    }
  }
}
