package io.dnalab.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts selected entries of a zip or tar.gz archive into one folder, and nowhere else: an entry
 * whose name is absolute or climbs out with {@code ..} ("zip slip"), and any link entry, is
 * rejected before anything is written.
 */
public final class ArchiveExtractor {

  private ArchiveExtractor() {}

  /**
   * Extracts every regular-file entry whose name {@code wanted} accepts into {@code destination},
   * keeping the entry's relative path.
   *
   * @param format {@code zip} or {@code tar.gz}
   * @return the extracted files
   * @throws DataFormatException when an entry would land outside {@code destination}
   */
  public static List<Path> extract(Path archive, String format, Path destination,
      Predicate<String> wanted) {
    Path root = destination.toAbsolutePath().normalize();
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(root);
      switch (format.toLowerCase(Locale.ROOT)) {
        case "zip" -> {
          try (ZipInputStream zip = new ZipInputStream(
              new BufferedInputStream(Files.newInputStream(archive)))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
              Path target = inside(archive, root, entry.getName());
              if (!entry.isDirectory() && wanted.test(entry.getName())) {
                written.add(write(zip, target));
              }
            }
          }
        }
        case "tar.gz", "tgz" -> {
          try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(
              new BufferedInputStream(Files.newInputStream(archive))))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
              Path target = inside(archive, root, entry.getName());
              if (entry.isSymbolicLink() || entry.isLink()) {
                throw DataFormatException.ofFile(archive, "archive entry " + entry.getName()
                    + " is a link; links are not extracted");
              }
              if (entry.isFile() && wanted.test(entry.getName())) {
                written.add(write(tar, target));
              }
            }
          }
        }
        default -> throw DataFormatException.ofFile(archive, "unknown archive format '" + format
            + "', expected zip or tar.gz");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract " + archive + ": " + e.getMessage(), e);
    }
    return written;
  }

  /** The path where {@code entryName} goes, or an error if it would escape {@code root}. */
  static Path inside(Path archive, Path root, String entryName) {
    Path target = root.resolve(entryName).normalize();
    if (entryName.startsWith("/") || entryName.startsWith("\\") || entryName.contains(":")
        || !target.startsWith(root)) {
      throw DataFormatException.ofFile(archive, "archive entry '" + entryName
          + "' would be written outside the extraction folder " + root + "; refusing to extract");
    }
    return target;
  }

  private static Path write(InputStream in, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
    try {
      Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    return target;
  }
}
