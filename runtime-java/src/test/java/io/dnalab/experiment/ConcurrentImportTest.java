package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.store.ResultStore;
import io.dnalab.store.StoredRun;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several worker processes (real JVMs running {@link ResultWorkerMain}) race through the same
 * stages against one artifact folder while this process imports their result files into one
 * SQLite store: each stage runs exactly once, every run is one row, the store's integrity check
 * passes, and a stage whose claim was left by a dead process is recovered and run.
 */
class ConcurrentImportTest {
  private static final int WORKERS = 4;
  private static final int RUNS = 24;

  @Test
  void workersFinishingAtOnceLeaveEveryRunOnceAndASoundStore(@TempDir Path dir)
      throws Exception {
    Path artifactsRoot = dir.resolve("artifacts");
    ArtifactStore artifacts = new ArtifactStore(artifactsRoot);
    // Stage 5 was claimed by a process that died: same host, a pid that has ended.
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    Path claims = artifactsRoot.resolve(".claims");
    Files.createDirectories(claims);
    Files.writeString(claims.resolve(ResultWorkerMain.key(5) + ".claim"),
        "host=" + InetAddress.getLocalHost().getHostName() + "\npid=" + dead.pid()
            + "\nstarted=2026-12-02T00:00:00Z\nheartbeat=" + java.time.Instant.now()
            + "\ntoken=dead\n");

    List<Process> workers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      workers.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
          .toString(), "-cp", System.getProperty("java.class.path"),
          ResultWorkerMain.class.getName(), artifactsRoot.toString(), Integer.toString(RUNS),
          Integer.toString(w * RUNS / WORKERS))
          .redirectErrorStream(true).redirectOutput(dir.resolve("worker" + w + ".log").toFile())
          .start());
    }
    ResultFiles files = ResultFiles.of(artifacts);
    try (ResultStore store = ResultStore.open(dir.resolve("results.sqlite"))) {
      // Imports while they publish, as a notebook reading the store would.
      while (workers.stream().anyMatch(Process::isAlive)) {
        files.importInto(store);
        Thread.sleep(10);
      }
      for (int w = 0; w < WORKERS; w++) {
        assertThat(workers.get(w).waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(workers.get(w).exitValue()).as(Files.readString(
            dir.resolve("worker" + w + ".log"))).isZero();
      }
      int added = files.importInto(store);
      assertThat(files.importInto(store)).as("a second import adds nothing").isZero();
      assertThat(added).isBetween(0, RUNS);

      Set<String> expected = IntStream.range(0, RUNS).mapToObj(ResultWorkerMain::key)
          .collect(Collectors.toSet());
      List<StoredRun> rows = store.all();
      assertThat(rows).hasSize(RUNS);
      assertThat(rows.stream().map(StoredRun::key).collect(Collectors.toSet()))
          .isEqualTo(expected);
      // Each row is the run its worker published, field for field.
      for (StoredRun row : rows) {
        int i = IntStream.range(0, RUNS).filter(n -> ResultWorkerMain.key(n).equals(row.key()))
            .findFirst().orElseThrow();
        assertThat(row).isEqualTo(ResultWorkerMain.run(row.key(), i));
      }
      assertThat(store.integrityCheck()).isEqualTo("ok");
    }
    // Exactly one run per stage (the exclusive ran/KEY markers), the dead claim's stage included.
    assertThat(Files.list(artifactsRoot.resolve("ran")).count()).isEqualTo(RUNS);
    assertThat(Files.exists(artifactsRoot.resolve("ran").resolve(ResultWorkerMain.key(5))))
        .isTrue();
    // Every claim was released; no temp file was left beside the result files.
    try (var left = Files.list(claims)) {
      assertThat(left.toList()).isEmpty();
    }
    try (var published = Files.list(files.folder())) {
      assertThat(published.map(p -> p.getFileName().toString()).toList())
          .allMatch(name -> name.endsWith(".json") && !name.startsWith("."));
    }
  }

  @Test
  void twoStoresImportingTheSameFilesAtOnceKeepOneRowPerRun(@TempDir Path dir) throws Exception {
    ArtifactStore artifacts = new ArtifactStore(dir.resolve("artifacts"));
    ResultFiles files = ResultFiles.of(artifacts);
    for (int i = 0; i < RUNS; i++) {
      files.publish(ResultWorkerMain.run(ResultWorkerMain.key(i), i));
    }
    Path file = dir.resolve("results.sqlite");
    List<Thread> importers = new ArrayList<>();
    List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int t = 0; t < 3; t++) {
      Thread thread = new Thread(() -> {
        try (ResultStore store = ResultStore.open(file)) {
          files.importInto(store);
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      importers.add(thread);
      thread.start();
    }
    for (Thread thread : importers) {
      thread.join();
    }
    assertThat(errors).isEmpty();
    try (ResultStore store = ResultStore.open(file)) {
      assertThat(store.count()).isEqualTo(RUNS);
      assertThat(store.integrityCheck()).isEqualTo("ok");
    }
  }
}
