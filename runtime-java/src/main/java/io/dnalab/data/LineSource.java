package io.dnalab.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Lines of a text file (plain or gzip) with their 1-based numbers. CRLF and CR line ends and a
 * UTF-8 byte-order mark are removed transparently; invalid UTF-8 is a {@link DataFormatException}
 * naming line and column, a truncated or corrupt gzip stream one naming the line after the last
 * good one.
 */
final class LineSource implements AutoCloseable {
  private final Path file;
  private final DataFiles.Source source;
  private long lineNumber;
  private String pushedBack;

  LineSource(Path file) {
    this.file = file;
    this.source = DataFiles.open(file);
  }

  String name() {
    return file.toString();
  }

  /** The next line, or null at the end of the file. */
  String next() {
    if (pushedBack != null) {
      String line = pushedBack;
      pushedBack = null;
      lineNumber++;
      return line;
    }
    try {
      String line = source.reader().readLine();
      if (line == null) {
        return null;
      }
      lineNumber++;
      if (lineNumber == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      int malformed = line.indexOf('\uFFFD');
      if (malformed >= 0) {
        throw error(malformed + 1, line, "not valid UTF-8 text (is the file in another encoding?)");
      }
      return line;
    } catch (IOException e) {
      throw DataFiles.readFailure(file, lineNumber, e);
    }
  }

  /** Gives back the line just read; the next {@link #next()} returns it again. */
  void pushBack(String line) {
    pushedBack = line;
    lineNumber--;
  }

  /** The number of the line last returned by {@link #next()}. */
  long lineNumber() {
    return lineNumber;
  }

  /** sha256 of the uncompressed content (complete once the file has been read to its end). */
  String sha256() {
    return source.sha256();
  }

  DataFormatException error(int column, String value, String problem) {
    return new DataFormatException(file.toString(), lineNumber, column, value, problem);
  }

  @Override
  public void close() {
    try {
      source.close();
    } catch (IOException e) {
      // nothing useful to do: the data were read or an error was already thrown
    }
  }
}
