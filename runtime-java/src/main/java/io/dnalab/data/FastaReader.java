package io.dnalab.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streams the records of a FASTA file (plain or gzip), one record in memory at a time, one byte
 * per base.
 *
 * <p>Input policy: every record needs a header {@code >id [description]} and at least one base;
 * record ids are unique; bases follow {@link SequenceValidator} (lower-case soft-masked bases are
 * upper-cased and counted in {@link FastaRecord#softMaskedBases()}; IUPAC ambiguity codes and
 * anything else are errors naming file, line and column). Blank lines, CRLF and a BOM are
 * tolerated. Text before the first header, an empty id and a duplicate id are errors.
 */
public final class FastaReader {

  private FastaReader() {}

  /** What a FASTA file held. */
  public record Summary(String file, int records, long bases, long softMaskedBases,
      String sha256) {}

  public static Summary read(Path file, Consumer<FastaRecord> sink) {
    try (LineSource lines = new LineSource(file)) {
      Summary summary = read(lines, null, sink);
      return new Summary(summary.file(), summary.records(), summary.bases(),
          summary.softMaskedBases(), lines.sha256());
    }
  }

  /** Reads every record into memory (small files, tests). */
  public static List<FastaRecord> readAll(Path file) {
    List<FastaRecord> records = new ArrayList<>();
    read(file, records::add);
    return records;
  }

  /**
   * Reads FASTA records from {@code lines} until the end of the file.
   *
   * @param firstHeader a header line already read by the caller (GFF3 after {@code ##FASTA}),
   *     or null
   */
  static Summary read(LineSource lines, String firstHeader, Consumer<FastaRecord> sink) {
    Map<String, Long> seen = new HashMap<>();
    BaseBuffer bases = new BaseBuffer();
    String id = null;
    String description = null;
    long headerLine = 0;
    int records = 0;
    long totalBases = 0;
    long totalSoftMasked = 0;
    String line = firstHeader;
    if (line == null) {
      line = lines.next();
    }
    while (true) {
      if (line == null || line.startsWith(">")) {
        if (id != null) {
          if (bases.length() == 0) {
            throw new DataFormatException(lines.name(), headerLine, 1, id,
                "FASTA record has no sequence");
          }
          totalBases += bases.length();
          totalSoftMasked += bases.softMasked();
          long softMasked = bases.softMasked();
          sink.accept(new FastaRecord(id, description, bases.take(), softMasked, headerLine));
          records++;
        }
        if (line == null) {
          break;
        }
        headerLine = lines.lineNumber();
        // The id follows '>' directly: "> text" has an empty id.
        String header = line.substring(1).stripTrailing();
        int space = indexOfWhitespace(header);
        id = space < 0 ? header : header.substring(0, space);
        description = space < 0 ? "" : header.substring(space + 1).strip();
        if (id.isEmpty()) {
          throw lines.error(1, line, "FASTA header has no sequence id");
        }
        Long previous = seen.putIfAbsent(id, headerLine);
        if (previous != null) {
          throw lines.error(2, id, "duplicate FASTA record id (first at line " + previous + ")");
        }
      } else if (!line.isBlank()) {
        if (id == null) {
          throw lines.error(1, line, "expected a FASTA header line starting with '>'");
        }
        String trimmed = line.stripTrailing();
        int bad = bases.append(trimmed, 0, trimmed.length(), false);
        if (bad >= 0) {
          // bases.length() counts the bases of this record accepted so far, this line included
          throw SequenceValidator.invalidBase(trimmed, trimmed.charAt(bad), bases.length() + 1L,
              lines.name(), lines.lineNumber(), bad + 1);
        }
      }
      line = lines.next();
    }
    if (records == 0) {
      throw new DataFormatException(lines.name(), 0, 0, null, "no FASTA records");
    }
    return new Summary(lines.name(), records, totalBases, totalSoftMasked, null);
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
