package io.dnalab.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/** Opening data files: gzip detected by its magic bytes (not the name), sha256 of what is read. */
public final class DataFiles {
  private static final int BUFFER = 1 << 16;

  private DataFiles() {}

  /** An open text file and the digest of its uncompressed bytes, filled as it is read. */
  public static final class Source implements AutoCloseable {
    private final BufferedReader reader;
    private final MessageDigest digest;
    private final boolean gzip;

    private Source(BufferedReader reader, MessageDigest digest, boolean gzip) {
      this.reader = reader;
      this.digest = digest;
      this.gzip = gzip;
    }

    public BufferedReader reader() {
      return reader;
    }

    public boolean isGzip() {
      return gzip;
    }

    /** sha256 of the uncompressed bytes read so far (call after reading to the end). */
    public String sha256() {
      return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }

  /**
   * Opens {@code file} for reading as UTF-8 text, decompressing gzip when its first bytes say so.
   * Malformed UTF-8 is decoded as U+FFFD (see {@link LineSource}).
   */
  public static Source open(Path file) {
    try {
      InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      boolean gzip = b0 == 0x1f && b1 == 0x8b;
      InputStream data = raw;
      if (gzip) {
        try {
          data = new GZIPInputStream(raw, BUFFER);
        } catch (IOException e) {
          raw.close();
          throw DataFormatException.ofFile(file, "not a readable gzip file: " + e.getMessage());
        }
      }
      MessageDigest digest = sha256Digest();
      DigestInputStream digesting = new DigestInputStream(data, digest);
      // Malformed UTF-8 becomes U+FFFD, which LineSource reports with its line and column
      // (an exception from the decoder could only name the buffer, not the line).
      var decoder = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
      BufferedReader reader = new BufferedReader(new InputStreamReader(digesting, decoder), BUFFER);
      return new Source(reader, digest, gzip);
    } catch (NoSuchFileException e) {
      throw DataFormatException.ofFile(file, "file not found");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * sha256 (lower-case hex) of the uncompressed content of {@code file}; of a Genomic Benchmarks
   * split folder, {@link GenomicBenchmarksReader#sha256}.
   */
  public static String sha256OfContent(Path file) {
    if (Files.isDirectory(file)) {
      return GenomicBenchmarksReader.sha256(file);
    }
    try (Source source = open(file)) {
      char[] buffer = new char[BUFFER];
      while (source.reader().read(buffer) >= 0) {
        // reading drives the digest
      }
      return source.sha256();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** sha256 (lower-case hex) of the bytes of {@code file} as stored (compressed or not). */
  public static String sha256OfBytes(Path file) {
    MessageDigest digest = sha256Digest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[BUFFER];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  /**
   * Turns an I/O failure in the middle of a file into a message a person can act on: a gzip that
   * ends early is a truncated copy, bad UTF-8 is a wrong encoding.
   */
  static RuntimeException readFailure(Path file, long lastLineRead, IOException e) {
    String problem;
    if (e instanceof java.io.EOFException
        || String.valueOf(e.getMessage()).contains("Unexpected end of ZLIB")) {
      problem = "gzip stream ends early after line " + lastLineRead
          + ": the file is truncated; copy or download it again";
    } else if (e instanceof java.util.zip.ZipException) {
      problem = "corrupt gzip data after line " + lastLineRead + " (" + e.getMessage()
          + "); copy or download it again";
    } else if (e instanceof java.nio.charset.CharacterCodingException) {
      problem = "not valid UTF-8 text after line " + lastLineRead;
    } else {
      return new UncheckedIOException("cannot read " + file + " after line " + lastLineRead
          + ": " + e.getMessage(), e);
    }
    return new DataFormatException(file.toString(), lastLineRead + 1, 0, null, problem, e);
  }
}
