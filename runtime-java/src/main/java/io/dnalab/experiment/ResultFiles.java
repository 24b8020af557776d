package io.dnalab.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dnalab.result.Predictions;
import io.dnalab.result.Provenance;
import io.dnalab.result.RunColumns;
import io.dnalab.result.RunResult;
import io.dnalab.store.ResultStore;
import io.dnalab.store.StoredRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Finished fine-tuning runs as one JSON file each, {@code ARTIFACTS/results/KEY.json}: how a
 * worker hands its run to the {@link ResultStore} without writing SQLite, which must not be
 * written over a network file system (its locks are unreliable there) nor by many processes at
 * once on a cluster.
 *
 * <p>Publication is atomic: the file is written to {@code .KEY.json.PID.N.tmp} in the same folder,
 * forced to disk ({@code fsync}), then renamed to {@code KEY.json} ({@code rename(2)}, atomic on
 * POSIX file systems and on NFS for one client), and the folder is forced too. A reader therefore
 * sees no file or a complete one. Two workers that publish the same key write the same run; the
 * second rename replaces the first file with an equal one.
 *
 * <p>A file holds the row exactly as the store keeps it: key, identity, code versions, the
 * canonical spec the key hashes, the {@link RunColumns#RESULT} columns and the
 * {@link Provenance} record. {@link #importInto} copies the files the store lacks into it, one
 * transaction, idempotently (a key imported twice is one row). The files stay: they are the
 * durable record on the shared file system and other stores may import them too.
 */
public final class ResultFiles {
  /** The format this code writes; a file with a newer one is refused with its name. */
  static final int FORMAT = 1;
  private static final String SUFFIX = ".json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong COUNTER = new AtomicLong();

  private final Path folder;

  public ResultFiles(Path folder) {
    this.folder = folder.toAbsolutePath();
  }

  /** {@code results/} in {@code artifacts}' root. */
  public static ResultFiles of(ArtifactStore artifacts) {
    return new ResultFiles(artifacts.root().resolve("results"));
  }

  public Path folder() {
    return folder;
  }

  /** Where the run {@code key} is published (whether it is or not). */
  public Path location(String key) {
    if (!key.matches("[0-9a-f]{16,128}")) {
      throw new IllegalArgumentException("a run key is a lower-case hex digest, got \"" + key
          + "\"");
    }
    return folder.resolve(key + SUFFIX);
  }

  public boolean contains(String key) {
    return Files.isRegularFile(location(key));
  }

  /** Publishes {@code run} without predictions; see {@link #publish(StoredRun, List)}. */
  public Path publish(StoredRun run) {
    return publish(run, List.of());
  }

  /**
   * Publishes {@code run} and its per-example {@code predictions} atomically (see the class
   * comment); returns its file.
   */
  public Path publish(StoredRun run, List<Predictions> predictions) {
    Path target = location(run.key());
    Path temp = folder.resolve("." + run.key() + SUFFIX + "." + ProcessHandle.current().pid()
        + "." + COUNTER.incrementAndGet() + ".tmp");
    byte[] bytes = toJson(run, predictions).getBytes(StandardCharsets.UTF_8);
    try {
      Files.createDirectories(folder);
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot publish " + target + " atomically (is " + folder
            + " on a file system without rename?)", e);
      }
      forceFolder();
      return target;
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // a stray temp file is ignored by readers (its name does not end in .json)
      }
      throw new UncheckedIOException("cannot publish the result of run " + run.key() + " in "
          + folder + ": " + e.getMessage(), e);
    }
  }

  /** The rename is durable once the folder's entry is on disk, not only the file's bytes. */
  private void forceFolder() {
    try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // Some file systems (and other operating systems) cannot open a folder for fsync; the
      // file itself was forced, and the rename is atomic either way.
    }
  }

  /** The published run {@code key}, or empty. */
  public Optional<StoredRun> read(String key) {
    try {
      return Optional.of(read(location(key)));
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof NoSuchFileException) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Keys of every published run, sorted. */
  public List<String> keys() {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString())
          .filter(name -> name.endsWith(SUFFIX) && !name.startsWith("."))
          .map(name -> name.substring(0, name.length() - SUFFIX.length())).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
    }
  }

  /**
   * Imports every published run {@code store} lacks, in one transaction; returns how many rows
   * were added. Safe to call from several processes at once: the store keeps one row per key.
   */
  public int importInto(ResultStore store) {
    List<String> keys = keys();
    if (keys.isEmpty()) {
      return 0;
    }
    List<String> missing = new ArrayList<>(keys);
    missing.removeAll(store.finished(keys));
    List<StoredRun> runs = new ArrayList<>(missing.size());
    Map<String, List<Predictions>> predictions = new HashMap<>();
    for (String key : missing) {
      StoredRun run = read(location(key));
      if (!run.key().equals(key)) {
        throw new IllegalStateException(location(key) + ": holds run " + run.key()
            + ", not the run its name says");
      }
      runs.add(run);
      predictions.put(key, readPredictions(location(key)));
    }
    return store.importRuns(runs, predictions);
  }

  /** Imports the published run {@code key} with its predictions; false when none is published. */
  public boolean importRun(String key, ResultStore store) {
    Optional<StoredRun> run = read(key);
    run.ifPresent(r -> store.importRuns(List.of(r), Map.of(key, readPredictions(location(key)))));
    return run.isPresent();
  }

  static String toJson(StoredRun run) {
    return toJson(run, List.of());
  }

  static String toJson(StoredRun run, List<Predictions> predictions) {
    ObjectNode node = JSON.createObjectNode();
    node.put("format", FORMAT).put("key", run.key()).put("identity", run.identity());
    ObjectNode versions = node.putObject("codeVersions");
    run.codeVersions().forEach(versions::put);
    node.put("specJson", run.specJson());
    ObjectNode result = node.putObject("result");
    for (RunColumns.Column<RunResult> column : RunColumns.RESULT) {
      Object value = column.value().apply(run.result());
      if (value == null) {
        result.putNull(column.name());
      } else {
        result.putPOJO(column.name(), value);
      }
    }
    // Per split: ids, labels, predicted classes and float32 probabilities, as the store keeps them.
    var splits = node.putArray("predictions");
    for (Predictions split : predictions) {
      ObjectNode entry = splits.addObject().put("split", split.split());
      var ids = entry.putArray("sequenceIds");
      split.sequenceIds().forEach(ids::add);
      var labels = entry.putArray("labels");
      for (int label : split.labels()) {
        labels.add(label);
      }
      var predicted = entry.putArray("predicted");
      for (int value : split.predicted()) {
        predicted.add(value);
      }
      var probabilities = entry.putArray("probabilities");
      for (float[] row : split.probabilities()) {
        var values = probabilities.addArray();
        for (float p : row) {
          // JSON has no NaN: a diverged run's NaN probabilities travel as null, as in the store.
          if (Float.isFinite(p)) {
            values.add(p);
          } else {
            values.addNull();
          }
        }
      }
    }
    try {
      node.set("provenance", JSON.readTree(run.provenance().toJson()));
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The per-example predictions a result file carries (none for a file without them). */
  static List<Predictions> readPredictions(Path file) {
    JsonNode splits;
    try {
      splits = JSON.readTree(Files.readString(file)).path("predictions");
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": not a dnalab result file: " + e.getMessage(), e);
    }
    List<Predictions> predictions = new ArrayList<>();
    for (JsonNode split : splits) {
      int n = split.path("labels").size();
      List<String> ids = new ArrayList<>(n);
      int[] labels = new int[n];
      int[] predicted = new int[n];
      float[][] probabilities = new float[n][];
      for (int i = 0; i < n; i++) {
        ids.add(split.path("sequenceIds").path(i).asText());
        labels[i] = split.path("labels").path(i).asInt();
        predicted[i] = split.path("predicted").path(i).asInt();
        JsonNode row = split.path("probabilities").path(i);
        probabilities[i] = new float[row.size()];
        for (int k = 0; k < row.size(); k++) {
          probabilities[i][k] = row.path(k).isNull() ? Float.NaN : row.path(k).floatValue();
        }
      }
      predictions.add(new Predictions(split.path("split").asText(), ids, labels, predicted,
          probabilities));
    }
    return predictions;
  }

  /** Reads one result file; a damaged or foreign one fails naming the file. */
  static StoredRun read(Path file) {
    JsonNode node;
    try {
      node = JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      if (e instanceof NoSuchFileException) {
        throw new UncheckedIOException(e);
      }
      throw new UncheckedIOException(file + ": not a dnalab result file: " + e.getMessage(), e);
    }
    int format = node.path("format").asInt(-1);
    if (format < 1 || format > FORMAT) {
      throw new IllegalStateException(file + ": result file format " + node.path("format")
          + ", this dnalab reads 1 to " + FORMAT);
    }
    Map<String, Integer> versions = new TreeMap<>();
    node.path("codeVersions").fields().forEachRemaining(e -> versions.put(e.getKey(),
        e.getValue().asInt()));
    JsonNode columns = node.path("result");
    Map<String, Object> values = new HashMap<>();
    for (RunColumns.Column<RunResult> column : RunColumns.RESULT) {
      JsonNode value = columns.get(column.name());
      values.put(column.name(), value == null || value.isNull() ? null
          : value.isNumber() ? value.numberValue() : value.asText());
    }
    return new StoredRun(node.path("key").asText(), node.path("identity").asText(), versions,
        RunColumns.result(values::get), node.path("specJson").asText(),
        Provenance.fromJson(node.path("provenance").toString()));
  }
}
