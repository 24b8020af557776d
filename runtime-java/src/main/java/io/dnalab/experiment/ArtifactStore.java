package io.dnalab.experiment;

import io.dnalab.spec.SpecJson;
import io.dnalab.store.ResultStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finished stage outputs (trained tokenizers, pretrained encoders), content-addressed: an
 * artifact lives in {@code ROOT/KIND/KEY/}, where KEY is the sha256 of the stage's normalized spec
 * and its inputs' keys and checksums ({@link SpecJson#sha256}). The same spec and inputs give the
 * same key, so a finished stage is found instead of recomputed.
 *
 * <p>Atomic publication: a writer fills {@code ROOT/.tmp/KIND-KEY.PID.N/} and renames it to
 * {@code ROOT/KIND/KEY} (one {@code rename(2)} on the same file system). A reader therefore sees
 * either no artifact or a complete one; a writer killed midway leaves only its temp folder, which
 * {@link #cleanAbandoned()} removes once its process is gone. When two processes write the same
 * key, the first rename wins and the second writer's copy is dropped.
 *
 * <p>Unfinished stages: a stage that trains keeps its resumable training state (model, optimizer,
 * counters: {@code train.TrainingState}) in {@code ROOT/.partial/KIND/KEY/}, under the same key
 * as the artifact it will become, so a killed run resumes when the stage runs again. The folder
 * is removed once the stage's output is stored: by {@link #put} for an artifact, by the caller
 * ({@link #removePartial}) for a stage whose output goes elsewhere (fine-tuning's result row).
 */
public final class ArtifactStore {
  private static final String TEMP = ".tmp";
  private static final String PARTIAL = ".partial";
  private static final Pattern TEMP_NAME = Pattern.compile("^.+\\.(\\d+)\\.\\d+$");
  private static final Pattern KEY = Pattern.compile("^[0-9a-f]{16,128}$");
  private static final Pattern KIND = Pattern.compile("^[a-z][a-z0-9-]{0,31}$");
  private static final AtomicLong COUNTER = new AtomicLong();

  private final Path root;

  public ArtifactStore(Path root) {
    this.root = root.toAbsolutePath();
  }

  /** {@code artifacts/} under the cache folder ({@link ResultStore#cacheDir()}). */
  public static ArtifactStore fromEnvironment() {
    return new ArtifactStore(ResultStore.cacheDir().resolve("artifacts"));
  }

  public Path root() {
    return root;
  }

  /** Fills a folder with an artifact's files. */
  @FunctionalInterface
  public interface Writer {
    void write(Path folder) throws IOException;
  }

  /** Where the artifact {@code kind/key} lives once published (whether it exists or not). */
  public Path location(String kind, String key) {
    check(kind, key);
    return root.resolve(kind).resolve(key);
  }

  /** The published artifact, complete by construction, or empty. */
  public Optional<Path> find(String kind, String key) {
    Path folder = location(kind, key);
    return Files.isDirectory(folder) ? Optional.of(folder) : Optional.empty();
  }

  public boolean contains(String kind, String key) {
    return find(kind, key).isPresent();
  }

  /**
   * The folder, created if missing, where the unfinished stage {@code kind/key} keeps its
   * training state until its output is stored.
   */
  public Path partialFolder(String kind, String key) {
    check(kind, key);
    Path folder = root.resolve(PARTIAL).resolve(kind).resolve(key);
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + folder + ": " + e.getMessage(), e);
    }
    return folder;
  }

  /** Removes the training state of stage {@code kind/key}, if any: its output is stored. */
  public void removePartial(String kind, String key) {
    check(kind, key);
    Path folder = root.resolve(PARTIAL).resolve(kind).resolve(key);
    try {
      deleteTree(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + folder + ": " + e.getMessage(), e);
    }
  }

  /**
   * Publishes what {@code writer} writes as {@code kind/key} and returns its folder, then removes
   * the stage's training state ({@link #partialFolder}). When the artifact already exists,
   * returns it without calling the writer. When the writer fails, nothing is published, its temp
   * folder is removed and the training state is kept for the next attempt.
   */
  public Path put(String kind, String key, Writer writer) {
    Optional<Path> existing = find(kind, key);
    if (existing.isPresent()) {
      return existing.get();
    }
    Path target = location(kind, key);
    Path temp = root.resolve(TEMP).resolve(kind + "-" + key + "." + ProcessHandle.current().pid()
        + "." + COUNTER.incrementAndGet());
    try {
      Files.createDirectories(temp);
      Files.createDirectories(target.getParent());
      writer.write(temp);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        // Another process published the same key first; its artifact is the same content.
        deleteTree(temp);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot publish " + target + " atomically (is " + root
            + " on a file system without rename?)", e);
      }
      removePartial(kind, key);
      return target;
    } catch (IOException | RuntimeException e) {
      deleteQuietly(temp);
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot write artifact " + kind + "/" + key + ": "
            + io.getMessage(), io);
      }
      throw (RuntimeException) e;
    }
  }

  /**
   * Removes temp folders whose writing process has ended (killed or crashed); returns how many.
   * Folders of live processes (this one included) are left alone.
   */
  public int cleanAbandoned() {
    Path temp = root.resolve(TEMP);
    if (!Files.isDirectory(temp)) {
      return 0;
    }
    int removed = 0;
    try (Stream<Path> folders = Files.list(temp)) {
      for (Path folder : folders.toList()) {
        Matcher name = TEMP_NAME.matcher(folder.getFileName().toString());
        long pid = name.matches() ? Long.parseLong(name.group(1)) : -1;
        boolean alive = pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive)
            .orElse(false);
        if (!alive) {
          deleteTree(folder);
          removed++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean " + temp + ": " + e.getMessage(), e);
    }
    return removed;
  }

  private static void check(String kind, String key) {
    if (!KIND.matcher(kind).matches()) {
      throw new IllegalArgumentException("artifact kind must be lower-case letters, digits and -,"
          + " got \"" + kind + "\"");
    }
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("artifact key must be a lower-case hex digest, got \""
          + key + "\"");
    }
  }

  static void deleteTree(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static void deleteQuietly(Path folder) {
    try {
      deleteTree(folder);
    } catch (IOException ignored) {
      // the temp folder is removed by a later cleanAbandoned()
    }
  }

  /** Published artifacts of {@code kind}, by key. */
  public List<String> keys(String kind) {
    Path folder = root.resolve(kind);
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
