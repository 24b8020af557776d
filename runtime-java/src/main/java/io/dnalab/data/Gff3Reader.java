package io.dnalab.data;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a GFF3 file (plain or gzip) and the sequences its features lie on, either from its
 * embedded {@code ##FASTA} section or from a separate FASTA file, and streams one {@link
 * AnnotatedContig} per sequence. Features (small) are held in memory; sequences are streamed one
 * at a time.
 *
 * <p>Lines sharing an {@code ID} (a discontinuous feature, e.g. a spliced CDS) become one {@link
 * Feature} with several parts. Attribute values are URL-decoded as the specification requires.
 * Errors (file, line, column, value): a missing {@code ##gff-version 3} line, a line without 9
 * tab-separated columns, a non-integer or reversed start/end, a strand other than {@code + - .
 * ?}, a feature on a sequence that the FASTA part does not contain, or one that extends beyond
 * its sequence.
 */
public final class Gff3Reader {

  private Gff3Reader() {}

  /** What a GFF3 file held. */
  public record Summary(String file, int contigs, long bases, int features,
      int contigsWithoutFeatures) {}

  /** Reads {@code gff}, whose sequences are in its own {@code ##FASTA} section. */
  public static Summary read(Path gff, Consumer<AnnotatedContig> sink) {
    return read(gff, null, sink);
  }

  /**
   * Reads {@code gff} with the sequences of {@code fasta}, or of the embedded {@code ##FASTA}
   * section when {@code fasta} is null.
   */
  public static Summary read(Path gff, Path fasta, Consumer<AnnotatedContig> sink) {
    try (LineSource lines = new LineSource(gff)) {
      Map<String, List<Feature>> featuresBySeqid = new LinkedHashMap<>();
      String fastaHeader = readFeatures(lines, featuresBySeqid);
      if (fasta == null && fastaHeader == null) {
        throw new DataFormatException(gff.toString(), 0, 0, null, "GFF3 file has no ##FASTA"
            + " section; give the sequences as a separate FASTA file");
      }
      Set<String> seen = new HashSet<>();
      int[] counts = new int[2];
      long[] bases = new long[1];
      int featureCount = featuresBySeqid.values().stream().mapToInt(List::size).sum();
      Consumer<FastaRecord> pair = record -> {
        List<Feature> features = featuresBySeqid.getOrDefault(record.id(), List.of());
        for (Feature f : features) {
          if (f.end() > record.sequence().length()) {
            throw new DataFormatException(gff.toString(), f.line(), 5, String.valueOf(f.end()),
                "feature " + f.type() + " ends at " + f.end() + ", beyond the "
                    + record.sequence().length() + " bp sequence " + record.id());
          }
        }
        seen.add(record.id());
        counts[0]++;
        if (features.isEmpty()) {
          counts[1]++;
        }
        bases[0] += record.sequence().length();
        sink.accept(new AnnotatedContig(record.id(), record.sequence(), features));
      };
      if (fasta == null) {
        FastaReader.read(lines, fastaHeader, BasePolicy.STRICT, pair);
      } else {
        FastaReader.read(fasta, BasePolicy.STRICT, pair);
      }
      for (Map.Entry<String, List<Feature>> e : featuresBySeqid.entrySet()) {
        if (!seen.contains(e.getKey())) {
          Feature first = e.getValue().get(0);
          throw new DataFormatException(gff.toString(), first.line(), 1, e.getKey(),
              "features refer to sequence '" + e.getKey() + "', which the FASTA part does not"
                  + " contain");
        }
      }
      return new Summary(gff.toString(), counts[0], bases[0], featureCount, counts[1]);
    }
  }

  /** Reads feature lines up to the end or to {@code ##FASTA}; returns the first FASTA header. */
  private static String readFeatures(LineSource lines, Map<String, List<Feature>> bySeqid) {
    String line = lines.next();
    while (line != null && line.isBlank()) {
      line = lines.next();
    }
    if (line == null || !line.startsWith("##gff-version")) {
      throw lines.error(1, line == null ? "" : line, "expected '##gff-version 3' as the first"
          + " line of a GFF3 file");
    }
    String version = line.substring("##gff-version".length()).strip();
    if (!version.startsWith("3")) {
      throw lines.error(15, version, "only GFF version 3 is supported");
    }
    // Discontinuous features: lines that share seqid, type and ID are parts of one feature.
    Map<String, int[]> partsIndex = new LinkedHashMap<>();
    while ((line = lines.next()) != null) {
      if (line.startsWith("##FASTA")) {
        String header = lines.next();
        while (header != null && header.isBlank()) {
          header = lines.next();
        }
        if (header == null || !header.startsWith(">")) {
          throw lines.error(1, header == null ? "" : header,
              "expected a FASTA header after ##FASTA");
        }
        return header;
      }
      if (line.startsWith(">")) {
        throw lines.error(1, line, "FASTA header without a preceding ##FASTA line");
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      parseFeatureLine(lines, line, bySeqid, partsIndex);
    }
    return null;
  }

  private static void parseFeatureLine(LineSource lines, String line,
      Map<String, List<Feature>> bySeqid, Map<String, int[]> partsIndex) {
    String[] columns = line.split("\t", -1);
    if (columns.length != 9) {
      throw lines.error(1, line, "expected 9 tab-separated columns, found " + columns.length);
    }
    int[] starts = new int[9];
    for (int i = 1; i < 9; i++) {
      starts[i] = starts[i - 1] + columns[i - 1].length() + 1;
    }
    String seqid = columns[0];
    String type = columns[2];
    int start = parsePosition(lines, columns[3], starts[3] + 1, "start");
    int end = parsePosition(lines, columns[4], starts[4] + 1, "end");
    if (end < start) {
      throw lines.error(starts[4] + 1, columns[4], "end is before start (" + start + ")");
    }
    Strand strand = switch (columns[6]) {
      case "+" -> Strand.FORWARD;
      case "-" -> Strand.REVERSE;
      case ".", "?" -> Strand.UNKNOWN;
      default -> throw lines.error(starts[6] + 1, columns[6], "strand must be +, -, . or ?");
    };
    Map<String, String> attributes = parseAttributes(lines, columns[8], starts[8] + 1);
    boolean partial = "true".equals(attributes.get("partial"))
        || attributes.containsKey("start_range") || attributes.containsKey("end_range");
    Interval part = new Interval(start - 1, end);
    List<Feature> features = bySeqid.computeIfAbsent(seqid, k -> new ArrayList<>());
    String id = attributes.get("ID");
    String key = id == null ? null : seqid + "\t" + type + "\t" + id;
    int[] existing = key == null ? null : partsIndex.get(key);
    if (existing != null) {
      Feature previous = features.get(existing[0]);
      List<Interval> parts = new ArrayList<>(previous.parts());
      parts.add(part);
      parts.sort(null);
      features.set(existing[0], new Feature(type, previous.strand(), parts,
          previous.partial() || partial, previous.qualifiers(), previous.line()));
      return;
    }
    if (key != null) {
      partsIndex.put(key, new int[] {features.size()});
    }
    features.add(new Feature(type, strand, List.of(part), partial, attributes,
        lines.lineNumber()));
  }

  private static int parsePosition(LineSource lines, String text, int column, String what) {
    try {
      int value = Integer.parseInt(text);
      if (value < 1) {
        throw lines.error(column, text, what + " must be a 1-based position (>= 1)");
      }
      return value;
    } catch (NumberFormatException e) {
      throw lines.error(column, text, what + " is not an integer");
    }
  }

  private static Map<String, String> parseAttributes(LineSource lines, String text, int column) {
    Map<String, String> attributes = new LinkedHashMap<>();
    if (text.equals(".") || text.isEmpty()) {
      return attributes;
    }
    int offset = 0;
    for (String pair : text.split(";", -1)) {
      if (!pair.isBlank()) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw lines.error(column + offset, pair, "attribute is not tag=value");
        }
        try {
          attributes.putIfAbsent(pair.substring(0, eq).strip(),
              URLDecoder.decode(pair.substring(eq + 1).replace("+", "%2B"),
                  StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          throw lines.error(column + offset, pair, "attribute has a malformed %-escape");
        }
      }
      offset += pair.length() + 1;
    }
    return attributes;
  }
}
