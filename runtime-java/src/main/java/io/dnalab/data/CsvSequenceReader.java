package io.dnalab.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Streams {@code sequence,label} records from a CSV or TSV file, plain or gzip, one line at a
 * time (memory: one line plus what the consumer keeps).
 *
 * <p>Layout: a header line is required and names a {@code sequence} (or {@code seq}) column and a
 * {@code label} column, in any order, among any number of other columns. Each record's id comes
 * from an {@code id} column where there is one, else, in a built task's files ({@link TaskWriter}),
 * from its {@code contig,start,end[,strand]} columns as {@code contig:start-end(strand)}; other
 * columns are ignored. The
 * delimiter is a tab for {@code .tsv}/{@code .tab} files, a comma for {@code .csv}, and otherwise
 * whatever the header uses. Fields may be double-quoted (RFC 4180).
 *
 * <p>Input policy (see also {@link SequenceValidator} and {@link ReadOptions}):
 *
 * <ul>
 *   <li>Tolerated transparently: CRLF or CR line ends, a UTF-8 byte-order mark, blank lines at the
 *       end of the file, spaces around a label.
 *   <li>Record errors (skippable with {@link ReadOptions#skipBadRecords()}, counted): invalid or
 *       IUPAC bases, empty sequence, missing or non-integer label, label outside the declared
 *       classes, a length outside the {@link LengthRule}, a wrong number of columns, a repeated
 *       header line (two files concatenated), a blank line in the middle.
 *   <li>File errors (always fatal): no header or a header without the two columns, a column named
 *       twice, truncated or corrupt gzip, invalid UTF-8 (named by line and column), a sha256
 *       mismatch.
 * </ul>
 */
public final class CsvSequenceReader {

  private CsvSequenceReader() {}

  /** Reads every record of {@code file} into memory. */
  public static ReadResult readAll(Path file, ReadOptions options) {
    List<LabeledSequence> records = new ArrayList<>();
    ReadSummary summary = read(file, options, records::add);
    return new ReadResult(records, summary);
  }

  /** Streams every valid record of {@code file} to {@code sink}. */
  public static ReadSummary read(Path file, ReadOptions options, Consumer<LabeledSequence> sink) {
    RecordChecks checks = new RecordChecks(file, options);
    String name = file.toString();
    try (LineSource lines = new LineSource(file)) {
      String headerLine = lines.next();
      if (headerLine == null) {
        throw new DataFormatException(name, 0, 0, null, "empty file: expected a header line such"
            + " as sequence,label");
      }
      char delimiter = delimiterFor(file, headerLine);
      Header header = Header.parse(name, headerLine, delimiter);
      List<String> fields = new ArrayList<>(header.columnCount());
      int[] starts = new int[header.columnCount() + 64];
      long pendingBlankLine = 0;
      String line;
      while ((line = lines.next()) != null) {
        long lineNumber = lines.lineNumber();
        if (line.isBlank()) {
          if (pendingBlankLine == 0) {
            pendingBlankLine = lineNumber;
          }
          continue;
        }
        if (pendingBlankLine != 0) {
          checks.reject(new DataFormatException(name, pendingBlankLine, 1, "",
              "blank line between records"));
          pendingBlankLine = 0;
        }
        try {
          if (line.equals(headerLine)) {
            throw new DataFormatException(name, lineNumber, 1, line,
                "header repeated (first at line 1); were two files concatenated?");
          }
          fields.clear();
          starts = split(line, delimiter, fields, starts, name, lineNumber);
          if (fields.size() != header.columnCount()) {
            throw new DataFormatException(name, lineNumber, 1, line, "expected "
                + header.columnCount() + " columns as in the header, found " + fields.size());
          }
          int seqColumn = starts[header.sequenceIndex()] + 1;
          String sequence = SequenceValidator.normalize(fields.get(header.sequenceIndex()), name,
              lineNumber, seqColumn);
          int label = checks.parseLabel(fields.get(header.labelIndex()), lineNumber,
              starts[header.labelIndex()] + 1);
          checks.checkLength(sequence, lineNumber, seqColumn);
          checks.accept(sequence, label);
          sink.accept(new LabeledSequence(sequence, label, header.idOf(fields)));
        } catch (DataFormatException e) {
          checks.reject(e);
        }
      }
      return checks.finish(lines.sha256());
    }
  }

  static char delimiterFor(Path file, String headerLine) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
    }
    if (name.endsWith(".tsv") || name.endsWith(".tab")) {
      return '\t';
    }
    if (name.endsWith(".csv")) {
      return ',';
    }
    return headerLine.indexOf('\t') >= 0 && headerLine.indexOf(',') < 0 ? '\t' : ',';
  }

  /**
   * The positions of the sequence and label columns, and of the columns a record's id comes from
   * (-1 where absent).
   */
  record Header(int sequenceIndex, int labelIndex, int columnCount, int idIndex, int contigIndex,
      int startIndex, int endIndex, int strandIndex) {

    /**
     * The record's id: its {@code id} field, else {@code contig:start-end(strand)} (the strand
     * part only with a strand column), else null.
     */
    String idOf(List<String> fields) {
      if (idIndex >= 0) {
        return fields.get(idIndex).strip();
      }
      if (contigIndex < 0 || startIndex < 0 || endIndex < 0) {
        return null;
      }
      String coordinates = fields.get(contigIndex).strip() + ":" + fields.get(startIndex).strip()
          + "-" + fields.get(endIndex).strip();
      return strandIndex < 0 ? coordinates
          : coordinates + "(" + fields.get(strandIndex).strip() + ")";
    }

    static Header parse(String file, String line, char delimiter) {
      List<String> names = new ArrayList<>();
      int[] starts = split(line, delimiter, names, new int[16], file, 1);
      int sequenceIndex = -1;
      int labelIndex = -1;
      List<String> columns = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        String column = names.get(i).strip().toLowerCase(Locale.ROOT);
        columns.add(column);
        if (column.equals("sequence") || column.equals("seq")) {
          if (sequenceIndex >= 0) {
            throw new DataFormatException(file, 1, starts[i] + 1, names.get(i),
                "header names the sequence column twice");
          }
          sequenceIndex = i;
        } else if (column.equals("label")) {
          if (labelIndex >= 0) {
            throw new DataFormatException(file, 1, starts[i] + 1, names.get(i),
                "header names the label column twice");
          }
          labelIndex = i;
        }
      }
      if (sequenceIndex < 0 || labelIndex < 0) {
        boolean looksLikeData = !names.isEmpty() && names.get(0).length() > 8
            && names.get(0).chars().allMatch(c -> SequenceValidator.isAccepted((char) c));
        String missing = sequenceIndex < 0 && labelIndex < 0 ? "'sequence' and 'label' columns"
            : sequenceIndex < 0 ? "a 'sequence' column" : "a 'label' column";
        throw new DataFormatException(file, 1, 1, line, "header has no " + missing
            + (looksLikeData ? "; the first line looks like data: add a header line such as"
                + " sequence" + delimiter + "label" : "; columns found: " + names));
      }
      return new Header(sequenceIndex, labelIndex, names.size(), columns.indexOf("id"),
          columns.indexOf("contig"), columns.indexOf("start"), columns.indexOf("end"),
          columns.indexOf("strand"));
    }
  }

  /**
   * Splits one line into fields, honouring double quotes; {@code starts[i]} receives the 0-based
   * character offset where field {@code i}'s content begins. Returns {@code starts}, grown if
   * needed.
   */
  static int[] split(String line, char delimiter, List<String> fields, int[] starts, String file,
      long lineNumber) {
    int n = line.length();
    int i = 0;
    while (true) {
      if (fields.size() == starts.length) {
        starts = java.util.Arrays.copyOf(starts, starts.length * 2);
      }
      if (i < n && line.charAt(i) == '"') {
        StringBuilder value = new StringBuilder();
        int open = i;
        i++;
        starts[fields.size()] = i;
        while (true) {
          if (i >= n) {
            throw new DataFormatException(file, lineNumber, open + 1, line.substring(open),
                "unterminated quoted field");
          }
          char c = line.charAt(i);
          if (c == '"') {
            if (i + 1 < n && line.charAt(i + 1) == '"') {
              value.append('"');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          value.append(c);
          i++;
        }
        fields.add(value.toString());
        if (i < n && line.charAt(i) != delimiter) {
          throw new DataFormatException(file, lineNumber, i + 1, line.substring(open),
              "text after a closing quote");
        }
      } else {
        int end = line.indexOf(delimiter, i);
        if (end < 0) {
          end = n;
        }
        starts[fields.size()] = i;
        fields.add(line.substring(i, end));
        i = end;
      }
      if (i >= n) {
        return starts;
      }
      i++; // skip the delimiter; a trailing delimiter yields one last empty field
      if (i == n) {
        if (fields.size() == starts.length) {
          starts = java.util.Arrays.copyOf(starts, starts.length * 2);
        }
        starts[fields.size()] = i;
        fields.add("");
        return starts;
      }
    }
  }
}
