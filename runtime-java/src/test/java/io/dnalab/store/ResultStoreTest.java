package io.dnalab.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    assertThat(lines.get(0)).isEqualTo("stage_key,identity,code_versions,"
        + io.dnalab.result.RunResult.csvHeader() + ",git_commit,host,started_at,finished_at");
    assertThat(lines.get(1)).startsWith("k1,k1,,exp,builtin/quickstart,nucleotide,"
        + "convnova-d16-k5,none,1,");
    // test_auroc is undefined (NaN): an empty cell between test_mcc, test_f1 and test_auprc.
    assertThat(lines.get(1)).contains(",0.75,0.5,0.74,,0.81,0.5,120,");
  }

  /** The 0.1 schema, as dnalab 0.1 created it (keys without code versions, schema version 1). */
  private static final String[] SCHEMA_0_1 = {
      "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
      "INSERT INTO meta(key, value) VALUES ('schema_version', '1')",
      "CREATE TABLE runs (stage_key TEXT PRIMARY KEY, experiment TEXT NOT NULL, task TEXT NOT "
          + "NULL, tokenizer TEXT NOT NULL, model TEXT NOT NULL, pretrain TEXT NOT NULL, seed "
          + "INTEGER NOT NULL, spec_json TEXT NOT NULL, dev_accuracy REAL, dev_mcc REAL, dev_f1 "
          + "REAL, dev_auroc REAL, dev_auprc REAL, dev_loss REAL, dev_examples INTEGER, "
          + "test_accuracy REAL, test_mcc REAL, test_f1 REAL, test_auroc REAL, test_auprc REAL, "
          + "test_loss REAL, test_examples INTEGER, parameters INTEGER, wall_seconds REAL, "
          + "epochs INTEGER, steps INTEGER, best_epoch INTEGER, device TEXT, tokens_seen "
          + "INTEGER, flops REAL, git_commit TEXT, host TEXT, started_at TEXT, finished_at "
          + "TEXT, provenance_json TEXT NOT NULL)",
      "CREATE INDEX runs_experiment ON runs(experiment)"};

  /** A row as 0.1 inserted it (test_auroc NULL: undefined; tokens and FLOPs not counted). */
  private static final String ROW_0_1 = "INSERT INTO runs VALUES ('oldkey', 'quick', "
      + "'builtin/quickstart', 'nucleotide', 'convnova-d16-k5', 'none', 3, '{\"seed\":3}', "
      + "0.8, 0.6, 0.79, 0.88, 0.87, 0.45, 100, 0.75, 0.5, 0.74, NULL, 0.81, 0.5, 120, 12345, "
      + "6.5, 1, 10, 1, 'PyTorch 2.5.1 cpu()', NULL, NULL, 'abc123', 'host1', "
      + "'2026-11-21T08:00:03Z', '2026-11-21T08:00:06.500Z', '{\"gitCommit\":\"abc123\","
      + "\"gitDirty\":false,\"dnalabVersion\":\"0.1.0\",\"djlVersion\":\"0.32.0\","
      + "\"pytorchVersion\":\"2.5.1\",\"javaVersion\":\"17\",\"os\":\"Linux\","
      + "\"host\":\"host1\",\"device\":\"PyTorch 2.5.1 cpu()\",\"dataChecksums\":"
      + "{\"builtin/quickstart/train\":\"ab12\"},\"startedAt\":\"2026-11-21T08:00:03Z\","
      + "\"finishedAt\":\"2026-11-21T08:00:06.500Z\"}')";

  @Test
  void aStoreWrittenByDnalab01IsMigratedAndKeepsItsRows(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("old.sqlite");
    try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = sql.createStatement()) {
      for (String ddl : SCHEMA_0_1) {
        statement.execute(ddl);
      }
      statement.execute(ROW_0_1);
    }
    try (ResultStore store = ResultStore.open(file)) {
      assertThat(store.schemaVersion()).isEqualTo(ResultStore.SCHEMA_VERSION).isEqualTo(3);
      assertThat(store.predictions("oldkey")).as("0.1 kept no predictions").isEmpty();
      assertThat(store.find("oldkey").orElseThrow().result().degenerate())
          .as("never checked: not flagged").isNull();
      StoredRun old = store.find("oldkey").orElseThrow();
      assertThat(old.identity()).as("a 0.1 key hashed no versions: it is the identity")
          .isEqualTo("oldkey");
      assertThat(old.codeVersions()).as("0.1 recorded no code versions").isEmpty();
      assertThat(old.result().test().mcc()).isEqualTo(0.5);
      assertThat(old.result().test().auroc()).isNaN();
      assertThat(old.result().dev().examples()).isEqualTo(100);
      assertThat(old.result().tokensSeen()).isEqualTo(-1);
      assertThat(old.result().flops()).isNaN();
      assertThat(old.result().pretrainSeed()).as("schema 3's column, NULL in older rows").isNull();
      assertThat(old.provenance().dnalabVersion()).isEqualTo("0.1.0");
      assertThat(store.versionsByIdentity(List.of("oldkey", "nokey")))
          .isEqualTo(Map.of("oldkey", Map.of()));
      // A new row beside it, with versions.
      StoredRun fresh = StoreFixtures.run("newkey", "quick", 3);
      fresh = new StoredRun("newkey", "oldkey", Map.of("trainer", 1, "model:convnova", 1),
          fresh.result(), fresh.specJson(), fresh.provenance());
      assertThat(store.record(fresh)).isTrue();
      assertThat(store.find("newkey").orElseThrow()).isEqualTo(fresh);
      assertThat(store.versionsByIdentity(List.of("oldkey")))
          .as("the newest row of an identity").isEqualTo(Map.of("oldkey",
              Map.of("trainer", 1, "model:convnova", 1)));
      assertThat(store.count()).isEqualTo(2);
      assertThat(store.integrityCheck()).isEqualTo("ok");
    }
    // Opening again changes nothing; plain SQL sees the new columns and the schema version.
    ResultStore.open(file).close();
    try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = sql.createStatement()) {
      try (ResultSet version = statement.executeQuery("PRAGMA user_version")) {
        version.next();
        assertThat(version.getInt(1)).isEqualTo(3);
      }
      try (ResultSet rows = statement.executeQuery("SELECT stage_key, identity, code_versions, "
          + "pretrain_seed FROM runs ORDER BY rowid")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString("identity")).isEqualTo("oldkey");
        assertThat(rows.getObject("pretrain_seed")).isNull();
        assertThat(rows.getString("code_versions")).isNull();
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString("code_versions"))
            .isEqualTo("{\"model:convnova\":1,\"trainer\":1}");
        assertThat(rows.next()).isFalse();
      }
    }
  }

  @Test
  void aStoreOfANewerSchemaIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("future.sqlite");
    ResultStore.open(file).close();
    try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = sql.createStatement()) {
      statement.execute("PRAGMA user_version = " + (ResultStore.SCHEMA_VERSION + 1));
    }
    assertThatThrownBy(() -> ResultStore.open(file))
        .isInstanceOf(ResultStore.StoreException.class)
        .hasMessage(file + ": has schema version 4 but this dnalab reads up to 3; use a newer "
            + "dnalab or another store");
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
