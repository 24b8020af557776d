package io.dnalab.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The FASTA files a user's corpus genome stands for ({@code genomes(file("…"))}): a FASTA(.gz)
 * file, or every FASTA file of a folder (not its subfolders) in name order, read as one genome.
 */
public final class CorpusFiles {
  /** Names a folder's FASTA files end with, each optionally followed by {@code .gz}. */
  public static final List<String> FASTA_EXTENSIONS = List.of(".fa", ".fasta", ".fna", ".fas");

  private CorpusFiles() {}

  /**
   * The FASTA files of {@code fileOrFolder}: a missing path, or a folder without a FASTA file, is
   * a {@link DataFormatException} naming it.
   */
  public static List<Path> fastaFiles(Path fileOrFolder) {
    Path path = fileOrFolder.toAbsolutePath().normalize();
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (!Files.isDirectory(path)) {
      throw DataFormatException.ofFile(path, "corpus genome: no such file or folder");
    }
    List<Path> files = new ArrayList<>();
    List<String> others = new ArrayList<>();
    try (Stream<Path> entries = Files.list(path)) {
      for (Path entry : entries.sorted().toList()) {
        String name = entry.getFileName().toString();
        if (name.startsWith(".") || !Files.isRegularFile(entry)) {
          continue;
        }
        if (isFasta(name)) {
          files.add(entry);
        } else {
          others.add(name);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw DataFormatException.ofFile(path, "corpus folder holds no FASTA file (names ending "
          + String.join(", ", FASTA_EXTENSIONS) + ", optionally .gz)"
          + (others.isEmpty() ? "; it is empty" : "; it holds " + others));
    }
    return List.copyOf(files);
  }

  /** Whether a file name is a FASTA name: {@code .fa}, {@code .fasta.gz}, … */
  static boolean isFasta(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    String plain = lower.endsWith(".gz") ? lower.substring(0, lower.length() - 3) : lower;
    return FASTA_EXTENSIONS.stream().anyMatch(plain::endsWith);
  }

  /**
   * sha256 of a corpus genome's content: of a file, its uncompressed content (so {@code x.fa} and
   * {@code x.fa.gz} agree); of a folder, of its files' digests in read order, one per line. Each
   * file's digest comes from {@code cache} when the file has not changed.
   */
  public static String sha256(Path fileOrFolder, Sha256Cache cache) {
    List<Path> files = fastaFiles(fileOrFolder);
    if (Files.isRegularFile(fileOrFolder)) {
      return cache.contentSha256(files.get(0));
    }
    StringBuilder digests = new StringBuilder();
    for (Path file : files) {
      digests.append(cache.contentSha256(file)).append('\n');
    }
    return java.util.HexFormat.of().formatHex(DataFiles.sha256Digest().digest(
        digests.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
