package io.dnalab.data;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * sha256 of files' uncompressed content, kept in a small JSON file by (absolute path, size,
 * modification time): a rerun does not hash a multi-GB genome again, and a file whose size or
 * modification time changed is hashed anew. The file maps {@code "path|size|mtimeMillis"} to the
 * hex digest.
 */
public final class Sha256Cache {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path cacheFile;
  private long hits;

  /** @param cacheFile where the digests are kept, null to keep none */
  public Sha256Cache(Path cacheFile) {
    this.cacheFile = cacheFile;
  }

  /**
   * sha256 of {@code file}'s uncompressed content, from the cache when the file has not changed.
   * A gzip that ends early is a {@link DataFormatException} naming the file.
   */
  public synchronized String contentSha256(Path file) {
    try {
      Path absolute = file.toAbsolutePath().normalize();
      String stamp = absolute + "|" + Files.size(absolute) + "|"
          + Files.getLastModifiedTime(absolute).toMillis();
      Map<String, String> cache = read();
      String sha = cache.get(stamp);
      if (sha != null) {
        hits++;
      } else {
        sha = hash(absolute);
        cache.put(stamp, sha);
        write(cache);
      }
      return sha;
    } catch (java.nio.file.NoSuchFileException e) {
      throw DataFormatException.ofFile(file, "file not found");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hash " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * A digest of several files together ({@code compute}, e.g. a checkpoint's content hash over
   * its weight files), from the cache while none of them changed: the entry is keyed by {@code
   * kind} and every file's absolute path, size and modification time, so a file replaced,
   * rewritten or touched computes it anew.
   */
  public synchronized String digestOf(String kind, List<Path> files, Supplier<String> compute) {
    StringBuilder stamp = new StringBuilder(kind);
    try {
      for (Path file : files) {
        Path absolute = file.toAbsolutePath().normalize();
        stamp.append('|').append(absolute).append('|').append(Files.size(absolute)).append('|')
            .append(Files.getLastModifiedTime(absolute).toMillis());
      }
      Map<String, String> cache = read();
      String digest = cache.get(stamp.toString());
      if (digest != null) {
        hits++;
        return digest;
      }
      digest = compute.get();
      cache.put(stamp.toString(), digest);
      write(cache);
      return digest;
    } catch (java.nio.file.NoSuchFileException e) {
      throw DataFormatException.ofFile(Path.of(e.getFile()), "file not found");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + files + ": " + e.getMessage(), e);
    }
  }

  /** How many digests this instance took from its file instead of reading the files again. */
  public synchronized long hits() {
    return hits;
  }

  private static String hash(Path file) {
    try {
      return DataFiles.sha256OfContent(file);
    } catch (UncheckedIOException e) {
      IOException cause = e.getCause();
      if (cause instanceof java.io.EOFException
          || String.valueOf(cause.getMessage()).contains("Unexpected end of ZLIB")) {
        throw DataFormatException.ofFile(file, "gzip stream ends early: the file is truncated;"
            + " copy or download it again");
      }
      if (cause instanceof java.util.zip.ZipException) {
        throw DataFormatException.ofFile(file, "corrupt gzip data (" + cause.getMessage()
            + "); copy or download it again");
      }
      throw e;
    }
  }

  private Map<String, String> read() throws IOException {
    if (cacheFile == null || !Files.isRegularFile(cacheFile)) {
      return new TreeMap<>();
    }
    try {
      return new TreeMap<>(JSON.readValue(cacheFile.toFile(),
          new TypeReference<Map<String, String>>() {}));
    } catch (IOException e) {
      return new TreeMap<>(); // a damaged cache only costs a recomputation
    }
  }

  /** Temp file + atomic rename: a concurrent reader sees the old or the new cache, whole. */
  private void write(Map<String, String> cache) throws IOException {
    if (cacheFile == null) {
      return;
    }
    Path folder = cacheFile.toAbsolutePath().getParent();
    Files.createDirectories(folder);
    Path temp = Files.createTempFile(folder, "checksums", ".part");
    try {
      JSON.writeValue(temp.toFile(), cache);
      Files.move(temp, cacheFile, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
