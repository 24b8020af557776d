package io.dnalab.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultStoreTest {

  @Test
  void aRecordedRunReadsBackWithItsMetricsCostAndProvenance(@TempDir Path dir) {
    StoredRun run = StoreFixtures.run("k1", "exp", 2);
    try (ResultStore store = ResultStore.open(dir.resolve("sub/results.sqlite"))) {
      assertThat(store.record(run)).isTrue();
      assertThat(store.record(StoreFixtures.run("k1", "other", 3)))
          .as("a second row with the same key is not written").isFalse();
      StoredRun back = store.find("k1").orElseThrow();
      // NaN (undefined AUROC) survives as NULL; records compare NaN fields as equal.
      assertThat(back).isEqualTo(run);
      assertThat(store.finished(List.of("k1", "k2"))).isEqualTo(Set.of("k1"));
      assertThat(store.ofExperiment("exp")).hasSize(1);
      assertThat(store.ofExperiment("other")).isEmpty();
      assertThat(store.meanWallSeconds("builtin/quickstart", "nucleotide", "convnova-d16-k5", 1)).hasValue(5.5);
      assertThat(store.meanWallSeconds("builtin/quickstart", "nucleotide", "unet", 1)).isEmpty();
    }
  }

  @Test
  void theFileIsPlainSqliteInWalMode(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("results.sqlite");
    try (ResultStore store = ResultStore.open(file)) {
      store.record(StoreFixtures.run("k1", "exp", 1));
    }
    try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = sql.createStatement()) {
      try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
        mode.next();
        assertThat(mode.getString(1)).isEqualTo("wal");
      }
      try (ResultSet rows = statement.executeQuery(
          "SELECT model, seed, test_mcc, test_auroc, git_commit, provenance_json FROM runs")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString("model")).isEqualTo("convnova-d16-k5");
        assertThat(rows.getDouble("test_mcc")).isEqualTo(0.5);
        rows.getDouble("test_auroc");
        assertThat(rows.wasNull()).isTrue();
        assertThat(rows.getString("git_commit")).isNotBlank();
        assertThat(rows.getString("provenance_json")).contains("\"dataChecksums\"");
      }
    }
  }

  @Test
  void exportsCsvWithOneRowPerRun(@TempDir Path dir) throws Exception {
    try (ResultStore store = ResultStore.open(dir.resolve("results.sqlite"))) {
      store.record(StoreFixtures.run("k1", "exp", 1));
      store.record(StoreFixtures.run("k2", "exp", 2));
      store.exportCsv(dir.resolve("runs.csv"));
    }
    List<String> lines = Files.readAllLines(dir.resolve("runs.csv"));
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo(io.dnalab.result.RunResult.csvHeader()
        + ",stage_key,git_commit,started_at,finished_at");
    assertThat(lines.get(1)).startsWith("exp,builtin/quickstart,nucleotide,convnova-d16-k5,none,1,")
        .contains(",k1,");
  }

  /**
   * Two processes each record 150 rows into one store while this one reads it: every row is
   * there and the file passes SQLite's integrity check.
   */
  @Test
  void concurrentWritersInTwoProcessesLoseNothing(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("shared.sqlite");
    ResultStore.open(file).close();
    List<Process> writers = new ArrayList<>();
    for (String prefix : List.of("a", "b")) {
      writers.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
          .toString(), "-cp", System.getProperty("java.class.path"),
          StoreFixtures.class.getName(), file.toString(), prefix, "150")
          .redirectErrorStream(true).redirectOutput(dir.resolve(prefix + ".log").toFile())
          .start());
    }
    try (ResultStore reader = ResultStore.open(file)) {
      while (writers.stream().anyMatch(Process::isAlive)) {
        assertThat(reader.count()).isBetween(0, 300); // reads while they write
        Thread.sleep(20);
      }
      for (Process writer : writers) {
        assertThat(writer.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(writer.exitValue()).as(Files.readString(dir.resolve("a.log"))
            + Files.readString(dir.resolve("b.log"))).isZero();
      }
      assertThat(reader.count()).isEqualTo(300);
      assertThat(reader.ofExperiment("a")).hasSize(150);
      assertThat(reader.ofExperiment("b")).hasSize(150);
      assertThat(reader.integrityCheck()).isEqualTo("ok");
    }
  }
}
