package io.dnalab.tokenize;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Streams FASTA or gzip-compressed FASTA (recognized by its magic bytes, whatever the name) from
 * disk without holding a record in memory.
 *
 * <p>Policy: lines starting with {@code >} start a record (the name is the header up to the first
 * whitespace); lines starting with {@code ;} are comments; blank lines, spaces, tabs and {@code \r}
 * are ignored; every other byte of a sequence line must be an ASCII letter (case and IUPAC codes
 * are left to {@link DnaAlphabet}), else the error names file, line, column and the byte. A record
 * with no bases (an empty record) is passed on with no bases and counted in {@link Summary}; text
 * before the first header is an error.
 */
public final class FastaReader {
  private FastaReader() {}

  /** Receives one file's records. */
  public interface Handler {
    void startRecord(String name);

    /** Letters of the current record, {@code buffer[from, to)}; the buffer is reused after the call. */
    void bases(byte[] buffer, int from, int to);

    void endRecord();
  }

  /** What a file held. */
  public record Summary(long records, long emptyRecords, long bases, long bytesRead) {}

  /** Reports bytes read (of the file on disk, compressed if it is), e.g. for a progress bar. */
  public interface ByteProgress {
    void advanced(long bytes);
  }

  public static Summary read(Path file, Handler handler) {
    return read(file, handler, bytes -> {});
  }

  public static Summary read(Path file, Handler handler, ByteProgress progress) {
    try (InputStream raw = Files.newInputStream(file)) {
      CountingStream counting = new CountingStream(raw, progress);
      BufferedInputStream buffered = new BufferedInputStream(counting, 1 << 16);
      buffered.mark(2);
      int b0 = buffered.read();
      int b1 = buffered.read();
      buffered.reset();
      InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(buffered, 1 << 16) : buffered;
      return parse(file, in, handler, counting);
    } catch (java.util.zip.ZipException e) {
      throw new InvalidSequenceException(file + ": not a readable gzip file: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static Summary parse(Path file, InputStream in, Handler handler, CountingStream counting)
      throws IOException {
    byte[] buf = new byte[1 << 16];
    byte[] header = new byte[256];
    long line = 1;
    int column = 0; // 1-based column of the byte being read
    boolean atLineStart = true;
    int mode = 0; // 0 = sequence line, 1 = header line, 2 = comment line
    int headerLength = 0;
    boolean inRecord = false;
    long records = 0;
    long empty = 0;
    long bases = 0;
    long recordBases = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      int runStart = -1; // start of a run of letters to hand over
      for (int i = 0; i < n; i++) {
        byte b = buf[i];
        column++;
        if (b == '\n') {
          if (runStart >= 0) {
            handler.bases(buf, runStart, i);
            runStart = -1;
          }
          if (mode == 1) {
            if (inRecord) {
              if (recordBases == 0) {
                empty++;
              }
              handler.endRecord();
            }
            handler.startRecord(headerName(header, headerLength));
            inRecord = true;
            records++;
            recordBases = 0;
          }
          mode = 0;
          line++;
          column = 0;
          atLineStart = true;
          continue;
        }
        if (atLineStart) {
          atLineStart = false;
          if (b == '>') {
            mode = 1;
            headerLength = 0;
            continue;
          }
          if (b == ';') {
            mode = 2;
            continue;
          }
        }
        if (mode == 1) {
          if (headerLength == header.length) {
            header = java.util.Arrays.copyOf(header, header.length * 2);
          }
          header[headerLength++] = b;
          continue;
        }
        if (mode == 2) {
          continue;
        }
        boolean letter = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
        if (letter) {
          if (!inRecord) {
            throw new InvalidSequenceException(
                file + ":" + line + ":" + column + ": sequence before the first '>' header line");
          }
          if (runStart < 0) {
            runStart = i;
          }
          bases++;
          recordBases++;
          continue;
        }
        if (runStart >= 0) {
          handler.bases(buf, runStart, i);
          runStart = -1;
        }
        if (b == ' ' || b == '\t' || b == '\r') {
          continue;
        }
        throw new InvalidSequenceException(
            file + ":" + line + ":" + column + ": invalid character " + shown(b)
                + " in a sequence line (expected letters: A C G T N or IUPAC codes)");
      }
      if (runStart >= 0) {
        handler.bases(buf, runStart, n);
      }
    }
    if (mode == 1) { // header on the last line without a newline
      if (inRecord) {
        if (recordBases == 0) {
          empty++;
        }
        handler.endRecord();
      }
      handler.startRecord(headerName(header, headerLength));
      inRecord = true;
      records++;
      recordBases = 0;
    }
    if (inRecord) {
      if (recordBases == 0) {
        empty++;
      }
      handler.endRecord();
    }
    return new Summary(records, empty, bases, counting.count);
  }

  private static String headerName(byte[] header, int length) {
    String text = new String(header, 0, length, StandardCharsets.UTF_8).strip();
    int space = 0;
    while (space < text.length() && !Character.isWhitespace(text.charAt(space))) {
      space++;
    }
    return text.substring(0, space);
  }

  private static String shown(byte b) {
    int v = b & 0xFF;
    return v >= 0x20 && v < 0x7F ? "'" + (char) v + "'" : String.format("0x%02X", v);
  }

  private static final class CountingStream extends java.io.FilterInputStream {
    long count;
    private final ByteProgress progress;

    CountingStream(InputStream in, ByteProgress progress) {
      super(in);
      this.progress = progress;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
        progress.advanced(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
        progress.advanced(n);
      }
      return n;
    }
  }
}
