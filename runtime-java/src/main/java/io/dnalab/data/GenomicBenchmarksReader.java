package io.dnalab.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a task in the on-disk layout that the {@code genomic-benchmarks} Python package writes
 * ({@code download_dataset}): {@code <task>/train/<class>/<id>.txt} and {@code
 * <task>/test/<class>/<id>.txt}, one sequence per file, no dev split.
 *
 * <p>Labels: the class folder names of {@code train/} in sorted (String) order, label {@code i}
 * being the {@code i}-th name, which is the order of the package's {@code classNames}. Files are
 * read in sorted name order. A record's id is {@code <class>/<id>} (the file name without
 * {@code .txt}, after its class, so that ids stay unique where class folders number their files
 * alike).
 *
 * <p>Input policy, the same as the CSV reader's with a file name instead of a line:
 *
 * <ul>
 *   <li>File errors (always fatal): {@code train/} or {@code test/} missing, no class folders, an
 *       empty class folder, a class folder in one split but not the other, anything in a class
 *       folder that is not a {@code .txt} file, invalid UTF-8.
 *   <li>Record errors (skippable with {@link ReadOptions#skipBadRecords()}, counted): an empty
 *       file, a file with more than one line of sequence, bases other than {@code A C G T N}
 *       (lower case is upper-cased, as under {@link BasePolicy#STRICT}), a length outside the
 *       {@link LengthRule}. Errors name the {@code .txt} file, its line and column, and the value.
 *   <li>Tolerated: one trailing line end (LF, CRLF or CR), a UTF-8 byte-order mark.
 * </ul>
 */
public final class GenomicBenchmarksReader {
  static final List<String> SPLITS = List.of("train", "test");

  private GenomicBenchmarksReader() {}

  /** Whether {@code folder} has the layout: {@code train/} and {@code test/} subfolders. */
  public static boolean isLayout(Path folder) {
    return Files.isDirectory(folder.resolve("train")) && Files.isDirectory(folder.resolve("test"));
  }

  /**
   * The class names of a task folder, sorted: the label of class {@code i}. Both splits must hold
   * exactly these class folders.
   */
  public static List<String> classNames(Path taskFolder) {
    List<String> train = classFolders(taskFolder.resolve("train"));
    if (train.size() < 2) {
      throw DataFormatException.ofFile(taskFolder.resolve("train"), "has " + train.size()
          + " class folder(s) " + train + "; the Genomic Benchmarks layout needs one folder per"
          + " class (at least 2), each holding one <id>.txt file per sequence");
    }
    List<String> test = classFolders(taskFolder.resolve("test"));
    for (String name : train) {
      if (!test.contains(name)) {
        throw DataFormatException.ofFile(taskFolder.resolve("test").resolve(name), "class folder"
            + " missing: train has class '" + name + "' but test has only " + test);
      }
    }
    for (String name : test) {
      if (!train.contains(name)) {
        throw DataFormatException.ofFile(taskFolder.resolve("test").resolve(name), "class '"
            + name + "' is not a class of train " + train + "; a model cannot learn it");
      }
    }
    return train;
  }

  private static List<String> classFolders(Path split) {
    if (!Files.isDirectory(split)) {
      throw DataFormatException.ofFile(split, "split folder not found (the Genomic Benchmarks"
          + " layout is <task>/train/<class>/*.txt and <task>/test/<class>/*.txt)");
    }
    List<String> names = new ArrayList<>();
    for (Path entry : sortedEntries(split)) {
      if (!Files.isDirectory(entry)) {
        throw DataFormatException.ofFile(entry, "a file directly in a split folder; the Genomic"
            + " Benchmarks layout holds only class folders here");
      }
      names.add(entry.getFileName().toString());
    }
    return names;
  }

  /**
   * Reads one split folder ({@code <task>/train} or {@code <task>/test}).
   *
   * @param classNames the task's classes ({@link #classNames}); label = index
   * @return the records in class order, then file name order; the summary's sha256 is of every
   *     file's path relative to the split folder and content, in reading order, each followed by
   *     a NUL byte, so renaming, moving or editing any file changes it
   */
  public static ReadResult readSplit(Path splitFolder, List<String> classNames,
      ReadOptions options) {
    RecordChecks checks = new RecordChecks(splitFolder, options);
    MessageDigest digest = DataFiles.sha256Digest();
    List<LabeledSequence> records = new ArrayList<>();
    for (int label = 0; label < classNames.size(); label++) {
      String className = classNames.get(label);
      Path classFolder = splitFolder.resolve(className);
      if (!Files.isDirectory(classFolder)) {
        throw DataFormatException.ofFile(classFolder, "class folder missing: the task has class '"
            + className + "' but this split has no folder for it");
      }
      List<Path> files = sortedEntries(classFolder);
      if (files.isEmpty()) {
        throw DataFormatException.ofFile(classFolder, "empty class folder: expected one <id>.txt"
            + " file per sequence of class '" + className + "'");
      }
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (!Files.isRegularFile(file) || !name.endsWith(".txt")) {
          throw DataFormatException.ofFile(file, "not a .txt file; a class folder of the Genomic"
              + " Benchmarks layout holds only <id>.txt files, one sequence each (move other"
              + " files elsewhere so that nothing is left out silently)");
        }
        byte[] bytes = readBytes(file);
        digest.update((className + "/" + name).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(bytes);
        digest.update((byte) 0);
        try {
          String sequence = sequenceOf(file, bytes);
          checks.checkLength(sequence, file.toString(), 1, 1);
          checks.accept(sequence, label);
          // Each class folder numbers its files from 0, so the file name alone is not unique.
          records.add(new LabeledSequence(sequence, label, className + "/"
              + name.substring(0, name.length() - ".txt".length())));
        } catch (DataFormatException e) {
          checks.reject(e);
        }
      }
    }
    return new ReadResult(records, checks.finish(HexFormat.of().formatHex(digest.digest())));
  }

  /**
   * The sha256 that {@link #readSplit} reports for {@code splitFolder}, computed without
   * validating the sequences: every regular file of every class folder (both in sorted order), as
   * its path relative to the split folder, a NUL byte, its content and a NUL byte.
   */
  public static String sha256(Path splitFolder) {
    MessageDigest digest = DataFiles.sha256Digest();
    for (String className : classFolders(splitFolder)) {
      for (Path file : sortedEntries(splitFolder.resolve(className))) {
        if (!Files.isRegularFile(file)) {
          continue;
        }
        digest.update((className + "/" + file.getFileName()).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(readBytes(file));
        digest.update((byte) 0);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The one sequence of a {@code .txt} file, validated and upper-cased. */
  private static String sequenceOf(Path file, byte[] bytes) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw DataFormatException.ofFile(file, "not valid UTF-8 text");
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    // One trailing line end is how editors save a file; anything after it is a second line.
    String body = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
        : text.endsWith("\n") || text.endsWith("\r") ? text.substring(0, text.length() - 1)
        : text;
    if (body.isEmpty()) {
      throw new DataFormatException(file.toString(), 1, 1, "",
          "empty file: expected one sequence");
    }
    String[] lines = body.split("\r\n|\n|\r", -1);
    if (lines.length > 1) {
      throw new DataFormatException(file.toString(), 2, 1, lines[1], "file holds "
          + lines.length + " lines; the Genomic Benchmarks layout has exactly one sequence per"
          + " file, on one line");
    }
    return SequenceValidator.normalize(lines[0], file.toString(), 1, 1);
  }

  private static byte[] readBytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<Path> sortedEntries(Path folder) {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
    }
  }
}
