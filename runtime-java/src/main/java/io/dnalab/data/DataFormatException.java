package io.dnalab.data;

import java.nio.file.Path;

/**
 * Input that dnalab will not read. The message always names the file and, where they apply, the
 * 1-based line and column and the offending value, so a person can open the file and fix it:
 * {@code data/train.csv:17:5: IUPAC ambiguity code 'R' is not accepted ... (value "ACGR")}.
 */
public final class DataFormatException extends RuntimeException {
  /** Values longer than this are shortened in messages (a 500 bp sequence helps nobody). */
  private static final int MAX_VALUE_CHARS = 60;

  private final String file;
  private final long line;
  private final int column;
  private final String value;

  /**
   * @param line 1-based line, or 0 when the problem is the file as a whole
   * @param column 1-based column (characters), or 0 when it does not apply
   * @param value the offending value as found, or null when it does not apply
   */
  public DataFormatException(String file, long line, int column, String value, String problem) {
    this(file, line, column, value, problem, null);
  }

  public DataFormatException(String file, long line, int column, String value, String problem,
      Throwable cause) {
    super(format(file, line, column, value, problem), cause);
    this.file = file;
    this.line = line;
    this.column = column;
    this.value = value;
  }

  /** A problem with the file as a whole (missing, checksum, no header...). */
  public static DataFormatException ofFile(Path file, String problem) {
    return new DataFormatException(file.toString(), 0, 0, null, problem);
  }

  public String file() {
    return file;
  }

  public long line() {
    return line;
  }

  public int column() {
    return column;
  }

  public String value() {
    return value;
  }

  /** The message without the location prefix, e.g. for a list of skipped records. */
  static String format(String file, long line, int column, String value, String problem) {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(':').append(line);
      if (column > 0) {
        sb.append(':').append(column);
      }
    }
    sb.append(": ").append(problem);
    if (value != null) {
      sb.append(" (value \"").append(shorten(value)).append("\")");
    }
    return sb.toString();
  }

  static String shorten(String value) {
    String printable = value.replace("\r", "\\r").replace("\t", "\\t").replace("\uFEFF", "\\uFEFF");
    if (printable.length() <= MAX_VALUE_CHARS) {
      return printable;
    }
    return printable.substring(0, MAX_VALUE_CHARS) + "... (" + value.length() + " chars)";
  }
}
