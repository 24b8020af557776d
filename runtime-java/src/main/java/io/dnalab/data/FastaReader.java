package io.dnalab.data;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.zip.GZIPInputStream;

/**
 * dnalab's one FASTA reader: plain or gzip (recognized by its magic bytes, whatever the name),
 * streamed byte by byte without decoding text, under a named {@link BasePolicy} that every
 * caller chooses.
 *
 * <p>Two ways to read: {@link Handler} receives the bases of each record in runs, normalized
 * in place in the read buffer (upper-case {@code A C G T N}), never holding a record (whole
 * genomes for BPE training and pretraining corpora); {@link #read(Path, BasePolicy, Consumer)}
 * delivers whole {@link FastaRecord}s (tasks, {@code data check}, GFF3 sequences).
 *
 * <p>Format: a line starting with {@code >} starts a record (id: the header up to the first
 * whitespace, description: the rest); a line starting with {@code ;} is a comment; blank lines,
 * CRLF and a UTF-8 byte-order mark are tolerated; text before the first header is an error. The
 * bases follow the policy; every error names file, line, column and value.
 */
public final class FastaReader {
  private static final int BUFFER = 1 << 16;

  private FastaReader() {}

  /** Receives one file's records, bases in runs. */
  public interface Handler {
    void startRecord(String id);

    /**
     * Bases of the current record, {@code buffer[from, to)}, upper-case {@code A C G T N}; the
     * buffer is reused after the call.
     */
    void bases(byte[] buffer, int from, int to);

    void endRecord();
  }

  /** Reports bytes read (of the file on disk, compressed if it is), e.g. for a progress bar. */
  public interface ByteProgress {
    void advanced(long bytes);
  }

  /**
   * What a FASTA file held and how it was read.
   *
   * @param policy the base policy the file was read under
   * @param emptyRecords records without bases (only {@link BasePolicy#LENIENT_CORPUS} passes them)
   * @param bases every base, N included
   * @param softMaskedBases bases that were lower case in the file, upper-cased
   * @param ambiguityCodesAsN IUPAC ambiguity codes read as N ({@link BasePolicy#LENIENT_CORPUS})
   * @param bytesRead bytes of the file as stored (compressed if it is)
   * @param sha256 of the uncompressed content when the caller asked for it, else null
   */
  public record Summary(String file, BasePolicy policy, long records, long emptyRecords,
      long bases, long softMaskedBases, long ambiguityCodesAsN, long bytesRead, String sha256) {}

  /** Streams {@code file}'s bases to {@code handler}. */
  public static Summary read(Path file, BasePolicy policy, Handler handler) {
    return read(file, policy, handler, bytes -> { });
  }

  public static Summary read(Path file, BasePolicy policy, Handler handler,
      ByteProgress progress) {
    return readFile(file, new Parser(file.toString(), policy, handler,
        line -> lineOf(file, line)), progress, false);
  }

  /**
   * Reads {@code file} one whole record at a time; the summary carries the sha256 of the
   * uncompressed content.
   */
  public static Summary read(Path file, BasePolicy policy, Consumer<FastaRecord> sink) {
    RecordCollector collector = new RecordCollector(sink);
    Parser parser = new Parser(file.toString(), policy, collector, line -> lineOf(file, line));
    collector.parser = parser;
    return readFile(file, parser, bytes -> { }, true);
  }

  /** Reads every record into memory (small files, tests). */
  public static List<FastaRecord> readAll(Path file, BasePolicy policy) {
    List<FastaRecord> records = new ArrayList<>();
    read(file, policy, records::add);
    return records;
  }

  /**
   * Reads FASTA records from {@code lines} until the end of the file (the {@code ##FASTA}
   * section of a GFF3 file).
   *
   * @param firstHeader a header line already read by the caller, or null
   */
  static Summary read(LineSource lines, String firstHeader, BasePolicy policy,
      Consumer<FastaRecord> sink) {
    RecordCollector collector = new RecordCollector(sink);
    String[] current = {firstHeader};
    Parser parser = new Parser(lines.name(), policy, collector, line -> current[0]);
    collector.parser = parser;
    // the parser counts lines itself, from the caller's position in the file
    parser.line = lines.lineNumber() + (firstHeader == null ? 1 : 0);
    String line = firstHeader != null ? firstHeader : lines.next();
    while (line != null) {
      current[0] = line;
      byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
      parser.feed(bytes, 0, bytes.length);
      line = lines.next();
    }
    return parser.finish(0, null);
  }

  private static Summary readFile(Path file, Parser parser, ByteProgress progress,
      boolean sha256) {
    try (InputStream raw = Files.newInputStream(file)) {
      CountingStream counting = new CountingStream(raw, progress);
      BufferedInputStream buffered = new BufferedInputStream(counting, BUFFER);
      buffered.mark(2);
      int b0 = buffered.read();
      int b1 = buffered.read();
      buffered.reset();
      InputStream in = buffered;
      if (b0 == 0x1f && b1 == 0x8b) {
        try {
          in = new GZIPInputStream(buffered, BUFFER);
        } catch (IOException e) {
          throw DataFormatException.ofFile(file, "not a readable gzip file: " + e.getMessage());
        }
      }
      MessageDigest digest = sha256 ? DataFiles.sha256Digest() : null;
      byte[] buffer = new byte[BUFFER];
      boolean first = true;
      int n;
      try {
        while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
          if (digest != null) {
            digest.update(buffer, 0, n);
          }
          int from = 0;
          if (first && n >= 3 && (buffer[0] & 0xFF) == 0xEF && (buffer[1] & 0xFF) == 0xBB
              && (buffer[2] & 0xFF) == 0xBF) {
            from = 3; // UTF-8 byte-order mark
          }
          first = false;
          parser.feed(buffer, from, n);
        }
      } catch (IOException e) {
        throw DataFiles.readFailure(file, parser.line - 1, e);
      }
      return parser.finish(counting.count,
          digest == null ? null : HexFormat.of().formatHex(digest.digest()));
    } catch (NoSuchFileException e) {
      throw DataFormatException.ofFile(file, "file not found");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Line {@code number} of {@code file} as text, for an error message only (errors are rare, so
   * the fast path keeps no copy of the current line); null when it cannot be read.
   */
  private static String lineOf(Path file, long number) {
    try (LineSource lines = new LineSource(file)) {
      String line;
      while ((line = lines.next()) != null) {
        if (lines.lineNumber() == number) {
          return line;
        }
      }
    } catch (RuntimeException e) {
      // the message is being built for another error already: show it without the value
    }
    return null;
  }

  /** The state machine over the bytes of one file. */
  private static final class Parser {
    private static final int SEQUENCE = 0;
    private static final int HEADER = 1;
    private static final int COMMENT = 2;

    final String file;
    final BasePolicy policy;
    final Handler handler;
    final LongFunction<String> lineText;
    final Map<String, Long> seenIds = new HashMap<>();

    long line = 1; // 1-based line of the byte being read
    int column; // 1-based column of the byte being read
    boolean atLineStart = true;
    int mode = SEQUENCE;
    byte[] header = new byte[256];
    int headerLength;

    boolean inRecord;
    String id;
    String description;
    long headerLine;
    long recordBases;
    long recordSoftMasked;
    long recordAmbiguous;

    long records;
    long emptyRecords;
    long bases;
    long softMasked;
    long ambiguous;

    Parser(String file, BasePolicy policy, Handler handler, LongFunction<String> lineText) {
      this.file = file;
      this.policy = policy;
      this.handler = handler;
      this.lineText = lineText;
    }

    /** Parses {@code buf[from, to)}, normalizing bases in place. */
    void feed(byte[] buf, int from, int to) {
      final int[] table = policy.table();
      // the per-base counters live in locals in the loop, in the fields between records
      long recordBases = this.recordBases;
      long recordSoftMasked = this.recordSoftMasked;
      long recordAmbiguous = this.recordAmbiguous;
      int runStart = -1; // start of a run of bases to hand over
      for (int i = from; i < to; i++) {
        byte b = buf[i];
        column++;
        if (b == '\n') {
          if (runStart >= 0) {
            handler.bases(buf, runStart, i);
            runStart = -1;
          }
          if (mode == HEADER) {
            this.recordBases = recordBases;
            this.recordSoftMasked = recordSoftMasked;
            this.recordAmbiguous = recordAmbiguous;
            headerEnded();
            recordBases = 0;
            recordSoftMasked = 0;
            recordAmbiguous = 0;
          }
          mode = SEQUENCE;
          line++;
          column = 0;
          atLineStart = true;
          continue;
        }
        if (atLineStart) {
          atLineStart = false;
          if (b == '>') {
            mode = HEADER;
            headerLength = 0;
            continue;
          }
          if (b == ';') {
            mode = COMMENT;
            continue;
          }
        }
        if (mode == HEADER) {
          if (headerLength == header.length) {
            header = java.util.Arrays.copyOf(header, header.length * 2);
          }
          header[headerLength++] = b;
          continue;
        }
        if (mode == COMMENT) {
          continue;
        }
        int entry = table[b & 0xFF];
        if (entry > 0) {
          if (!inRecord) {
            throw noHeader();
          }
          buf[i] = (byte) entry;
          recordSoftMasked += (entry >>> 8) & 1; // BasePolicy.SOFT_MASKED
          recordAmbiguous += entry >>> 9; // BasePolicy.AMBIGUOUS
          recordBases++;
          if (runStart < 0) {
            runStart = i;
          }
          continue;
        }
        if (runStart >= 0) {
          handler.bases(buf, runStart, i);
          runStart = -1;
        }
        if (entry == BasePolicy.SKIP) {
          continue;
        }
        if (!inRecord) {
          throw noHeader();
        }
        String shown = lineText.apply(line);
        throw policy.invalidBase(shown == null ? null : shown.stripTrailing(), (char) (b & 0xFF),
            recordBases + 1, file, line, column);
      }
      if (runStart >= 0) {
        handler.bases(buf, runStart, to);
      }
      this.recordBases = recordBases;
      this.recordSoftMasked = recordSoftMasked;
      this.recordAmbiguous = recordAmbiguous;
    }

    private DataFormatException noHeader() {
      return new DataFormatException(file, line, 1, lineText.apply(line),
          "expected a FASTA header line starting with '>'");
    }

    /** A header line is complete: ends the record before it and starts its record. */
    private void headerEnded() {
      endRecord();
      String text = new String(header, 0, headerLength, StandardCharsets.UTF_8).stripTrailing();
      int malformed = text.indexOf('\uFFFD');
      if (malformed >= 0 && policy.strictRecords()) {
        throw new DataFormatException(file, line, malformed + 2, ">" + text,
            "not valid UTF-8 text (is the file in another encoding?)");
      }
      int space = indexOfWhitespace(text);
      String recordId = space < 0 ? text : text.substring(0, space);
      if (recordId.isEmpty()) {
        if (policy.strictRecords()) {
          // the id follows '>' directly: "> text" has an empty id
          throw new DataFormatException(file, line, 1, ">" + text,
              "FASTA header has no sequence id");
        }
        String stripped = text.strip();
        space = indexOfWhitespace(stripped);
        recordId = space < 0 ? stripped : stripped.substring(0, space);
        text = stripped;
      }
      if (policy.strictRecords()) {
        Long previous = seenIds.putIfAbsent(recordId, line);
        if (previous != null) {
          throw new DataFormatException(file, line, 2, recordId,
              "duplicate FASTA record id (first at line " + previous + ")");
        }
      }
      id = recordId;
      description = space < 0 ? "" : text.substring(space + 1).strip();
      headerLine = line;
      inRecord = true;
      records++;
      recordBases = 0;
      recordSoftMasked = 0;
      recordAmbiguous = 0;
      handler.startRecord(id);
    }

    private void endRecord() {
      if (!inRecord) {
        return;
      }
      if (recordBases == 0) {
        if (policy.strictRecords()) {
          throw new DataFormatException(file, headerLine, 1, id, "FASTA record has no sequence");
        }
        emptyRecords++;
      }
      bases += recordBases;
      softMasked += recordSoftMasked;
      ambiguous += recordAmbiguous;
      handler.endRecord();
      inRecord = false;
    }

    Summary finish(long bytesRead, String sha256) {
      if (mode == HEADER) { // a header on the last line, without a newline
        headerEnded();
        mode = SEQUENCE;
      }
      endRecord();
      if (records == 0 && policy.strictRecords()) {
        throw new DataFormatException(file, 0, 0, null, "no FASTA records");
      }
      return new Summary(file, policy, records, emptyRecords, bases, softMasked, ambiguous,
          bytesRead, sha256);
    }
  }

  /** Collects whole records for {@link #read(Path, BasePolicy, Consumer)}. */
  private static final class RecordCollector implements Handler {
    private final Consumer<FastaRecord> sink;
    private final BaseBuffer bases = new BaseBuffer();
    Parser parser;

    RecordCollector(Consumer<FastaRecord> sink) {
      this.sink = sink;
    }

    @Override
    public void startRecord(String id) {}

    @Override
    public void bases(byte[] buffer, int from, int to) {
      bases.appendNormalized(buffer, from, to);
    }

    @Override
    public void endRecord() {
      sink.accept(new FastaRecord(parser.id, parser.description, bases.take(),
          parser.recordSoftMasked, parser.headerLine));
    }
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static final class CountingStream extends FilterInputStream {
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
