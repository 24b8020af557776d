package io.dnalab.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Sequences to compute something on (embeddings), without labels: a FASTA file (read under
 * {@link BasePolicy#STRICT}: A C G T N, soft-masked bases upper-cased, unique ids, no empty record)
 * or a CSV/TSV whose header names a {@code sequence} (or {@code seq}) column and optionally an
 * {@code id} column; other columns, a {@code label} among them, are ignored. Plain or gzip. Lengths may differ.
 *
 * <p>Which of the two: the name ({@code .fa .fasta .fna .fas}, {@code .csv .tsv .tab}, each
 * optionally {@code .gz}), else the first character ({@code >} is FASTA). An input without a
 * single sequence is an error naming the file.
 */
public final class SequenceInput {
  private SequenceInput() {}

  /**
   * One input sequence and where it came from: its FASTA id, a CSV's {@code id} column, else
   * {@code line N}.
   */
  public record Named(String name, String sequence) {}

  /** Every sequence of {@code file}, in file order. */
  public static List<Named> read(Path file) {
    List<Named> sequences = isFasta(file) ? readFasta(file) : readCsv(file);
    if (sequences.isEmpty()) {
      throw new DataFormatException(file.toString(), 0, 0, null,
          "no sequences: expected FASTA records or CSV rows with a 'sequence' column");
    }
    return sequences;
  }

  private static List<Named> readFasta(Path file) {
    List<Named> out = new ArrayList<>();
    FastaReader.read(file, BasePolicy.STRICT,
        (FastaRecord record) -> out.add(new Named(record.id(), record.sequence())));
    return out;
  }

  private static List<Named> readCsv(Path file) {
    String name = file.toString();
    List<Named> out = new ArrayList<>();
    try (LineSource lines = new LineSource(file)) {
      String headerLine = lines.next();
      if (headerLine == null) {
        throw new DataFormatException(name, 0, 0, null,
            "empty file: expected a header line naming a 'sequence' column");
      }
      char delimiter = CsvSequenceReader.delimiterFor(file, headerLine);
      List<String> names = new ArrayList<>();
      CsvSequenceReader.split(headerLine, delimiter, names, new int[16], name, 1);
      int column = -1;
      int idColumn = -1;
      for (int i = 0; i < names.size(); i++) {
        String header = names.get(i).strip().toLowerCase(Locale.ROOT);
        if (header.equals("id")) {
          idColumn = i;
        }
        if (header.equals("sequence") || header.equals("seq")) {
          if (column >= 0) {
            throw new DataFormatException(name, 1, 1, headerLine,
                "header names the sequence column twice");
          }
          column = i;
        }
      }
      if (column < 0) {
        throw new DataFormatException(name, 1, 1, headerLine,
            "header has no 'sequence' column; columns found: " + names);
      }
      List<String> fields = new ArrayList<>();
      int[] starts = new int[names.size() + 16];
      String line;
      while ((line = lines.next()) != null) {
        long lineNumber = lines.lineNumber();
        if (line.isBlank()) {
          continue;
        }
        fields.clear();
        starts = CsvSequenceReader.split(line, delimiter, fields, starts, name, lineNumber);
        if (fields.size() != names.size()) {
          throw new DataFormatException(name, lineNumber, 1, line, "expected " + names.size()
              + " columns as in the header, found " + fields.size());
        }
        String sequence = SequenceValidator.normalize(fields.get(column), name, lineNumber,
            starts[column] + 1);
        String id = idColumn < 0 ? "" : fields.get(idColumn).strip();
        out.add(new Named(id.isEmpty() ? "line " + lineNumber : id, sequence));
      }
    }
    return out;
  }

  /** By the name, else by the first byte of the (uncompressed) content. */
  static boolean isFasta(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
    }
    for (String extension : List.of(".fa", ".fasta", ".fna", ".fas")) {
      if (name.endsWith(extension)) {
        return true;
      }
    }
    for (String extension : List.of(".csv", ".tsv", ".tab")) {
      if (name.endsWith(extension)) {
        return false;
      }
    }
    try (InputStream raw = Files.newInputStream(file)) {
      byte[] start = raw.readNBytes(2);
      InputStream text = start.length == 2 && (start[0] & 0xff) == 0x1f
          && (start[1] & 0xff) == 0x8b ? new GZIPInputStream(Files.newInputStream(file)) : null;
      int first = text != null ? text.read() : start.length > 0 ? start[0] : -1;
      if (text != null) {
        text.close();
      }
      return first == '>';
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
