package io.dnalab.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dnalab.result.Predictions;
import io.dnalab.result.Provenance;
import io.dnalab.result.RunColumns;
import io.dnalab.result.RunColumns.Column;
import io.dnalab.result.RunColumns.SqlType;
import io.dnalab.result.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.sqlite.SQLiteConfig;

/**
 * Finished runs in one SQLite file, one row per run, readable with plain SQL. The columns are
 * {@link #COLUMNS}, generated from the one run schema ({@link RunColumns}):
 *
 * <pre>
 * runs(stage_key TEXT PRIMARY KEY,      -- sha256 of the run's canonical spec, inputs, code versions
 *      identity TEXT,                    -- the same without code versions (0.1 rows: stage_key)
 *      code_versions TEXT,               -- e.g. {"model:convnova":1,"tokenizer:nucleotide":1,
 *                                        --       "trainer":1}; NULL for rows written by dnalab 0.1
 *      spec_json TEXT,                   -- what stage_key hashes (canonical JSON)
 *      experiment, task, tokenizer, model, pretrain TEXT, seed INTEGER,
 *      pretrain_seed INTEGER,            -- the pretraining run's seed; NULL: random init (or
 *                                        --   a row written before schema 3)
 *      dev_accuracy, dev_mcc, dev_f1, dev_auroc, dev_auprc, dev_loss REAL, dev_examples INTEGER,
 *      test_accuracy, …, test_loss REAL, test_examples INTEGER,
 *      parameters INTEGER, wall_seconds REAL, epochs INTEGER, steps INTEGER,
 *      best_epoch INTEGER, device TEXT,
 *      tokens_seen INTEGER, flops REAL,  -- NULL until measured
 *      degenerate TEXT,                  -- NULL, or why the run is flagged (DegenerateRun)
 *      git_commit, host TEXT, started_at, finished_at TEXT,  -- ISO-8601 UTC
 *      provenance_json TEXT)             -- the whole Provenance record
 * prediction_runs(run INTEGER PRIMARY KEY, stage_key TEXT UNIQUE)  -- a short id per run
 * predictions(run INTEGER,               -- the run (prediction_runs.run)
 *      split TEXT,                       -- dev or test
 *      example INTEGER,                  -- 0-based index in the split
 *      sequence_id TEXT,                 -- the task's record id; NULL: the task has none (use example)
 *      label INTEGER, predicted INTEGER, -- true and predicted class
 *      probabilities TEXT,               -- JSON array of the K class probabilities (float32)
 *      PRIMARY KEY (run, split, example)) WITHOUT ROWID
 * run_predictions                        -- view: predictions with their run's stage_key
 * meta(key TEXT PRIMARY KEY, value TEXT) -- schema_version = 3 (also PRAGMA user_version)
 * </pre>
 *
 * e.g. {@code sqlite3 results.sqlite "select model, avg(test_mcc) from runs group by model"}, or
 * {@code select label, predicted, json_extract(probabilities, '$[1]') from run_predictions where
 * stage_key = ?}.
 *
 * <p>Probabilities as one JSON array rather than a column per class: tasks have 2 to 9 classes,
 * one table holds them all, SQLite reads it with {@code json_extract}, and the shortest decimal
 * of a float32 ({@link Float#toString}) reads back to the same float. Rows name their run by a
 * small integer, not its 64-character key, which would be most of a row: a binary task's row
 * is about 55 bytes (measured by PredictionsStoreTest's size check).
 *
 * <p>Schema versions: 1 is dnalab 0.1 (keys without code versions, no identity or code_versions
 * column, {@code user_version} 0); 2 adds them; 3 adds {@code pretrain_seed} (rows written
 * before stay NULL there: a run reused from such a row gets its pretraining seed from the stage
 * that asks for it, whose key fixes the seed). Opening a store migrates it in one transaction:
 * missing columns are added ({@code ALTER TABLE ADD COLUMN}), a 0.1 row's identity is its key,
 * and its code versions stay NULL, so the planner shows it as stale and never reuses it. No row
 * is lost or rewritten. Version 3 also adds the {@code predictions} table and the
 * {@code degenerate} column (NULL for older rows: they were never checked). A store with a newer
 * schema than this code is refused.
 *
 * <p>Concurrency: the file is in WAL mode (readers never block the one writer), every write is
 * one {@code BEGIN IMMEDIATE} transaction, and a 60 s busy timeout makes a second process wait for
 * the lock instead of failing, so notebooks and command-line runs can share a store. A process
 * killed mid-write leaves the row absent, never half-written. A row is written once: a second
 * writer of the same key (another process that ran the same stage) keeps the first row.
 *
 * <p>One connection per store object; methods are synchronized.
 */
public final class ResultStore implements AutoCloseable {
  /** The schema version this code writes; a store with a newer one is refused. */
  public static final int SCHEMA_VERSION = 3;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Every column of the {@code runs} table, in the order a new table has them: the stage's key,
   * identity, code versions and spec, then {@link RunColumns#RESULT} and
   * {@link RunColumns#PROVENANCE}. DDL, migration, inserts, reads and the CSV export all come
   * from this list.
   */
  public static final List<Column<StoredRun>> COLUMNS = columns();

  private static List<Column<StoredRun>> columns() {
    List<Column<StoredRun>> columns = new ArrayList<>(List.of(
        new Column<>("stage_key", SqlType.TEXT, true, StoredRun::key),
        new Column<>("identity", SqlType.TEXT, false, StoredRun::identity),
        new Column<>("code_versions", SqlType.TEXT, false,
            run -> run.codeVersions().isEmpty() ? null : versionsJson(run.codeVersions())),
        new Column<>("spec_json", SqlType.TEXT, true, StoredRun::specJson)));
    RunColumns.RESULT.forEach(column -> columns.add(column.of(StoredRun::result)));
    RunColumns.PROVENANCE.forEach(column -> columns.add(column.of(StoredRun::provenance)));
    return List.copyOf(columns);
  }

  private final Path file;
  private final Connection connection;

  private ResultStore(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  /**
   * The default store: {@code $DNALAB_RESULTS} (a file), else {@code results.sqlite} in the cache
   * folder ({@code -Ddnalab.cache}, {@code $DNALAB_CACHE}, else {@code ~/.cache/dnalab}).
   */
  public static Path defaultLocation() {
    String results = setting("dnalab.results", "DNALAB_RESULTS");
    if (results != null) {
      return Path.of(results);
    }
    return cacheDir().resolve("results.sqlite");
  }

  /** The cache folder: {@code -Ddnalab.cache}, {@code $DNALAB_CACHE}, else ~/.cache/dnalab. */
  public static Path cacheDir() {
    String cache = setting("dnalab.cache", "DNALAB_CACHE");
    return cache != null ? Path.of(cache)
        : Path.of(System.getProperty("user.home"), ".cache", "dnalab");
  }

  public static ResultStore openDefault() {
    return open(defaultLocation());
  }

  /** Opens (creating when absent) the store in {@code file}. */
  public static ResultStore open(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the folder of " + file + ": "
          + e.getMessage(), e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setBusyTimeout(60_000);
    // IMMEDIATE: a write transaction takes the write lock when it begins, so two writers wait
    // on the busy timeout instead of deadlocking on a read-to-write upgrade.
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    try {
      Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(),
          config.toProperties());
      ResultStore store = new ResultStore(file, connection);
      try {
        store.createSchema();
      } catch (SQLException | RuntimeException e) {
        connection.close();
        throw e;
      }
      return store;
    } catch (SQLException e) {
      throw new StoreException(file, "cannot open the result store: " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  private void createSchema() throws SQLException {
    List<String> definitions = new ArrayList<>();
    for (Column<StoredRun> column : COLUMNS) {
      definitions.add(column.name().equals("stage_key") ? "stage_key TEXT PRIMARY KEY"
          : column.ddl());
    }
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      int found = schemaVersion(statement);
      if (found > SCHEMA_VERSION) {
        throw new StoreException(file, "has schema version " + found + " but this dnalab "
            + "reads up to " + SCHEMA_VERSION + "; use a newer dnalab or another store", null);
      }
      statement.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)");
      statement.execute("CREATE TABLE IF NOT EXISTS runs (" + String.join(", ", definitions)
          + ")");
      // A store written by an older schema lacks some columns: add them (all nullable), so its
      // rows stay as they were and read back with NULL there.
      Set<String> present = new HashSet<>();
      try (ResultSet info = statement.executeQuery("PRAGMA table_info(runs)")) {
        while (info.next()) {
          present.add(info.getString("name"));
        }
      }
      for (Column<StoredRun> column : COLUMNS) {
        if (!present.contains(column.name())) {
          statement.execute("ALTER TABLE runs ADD COLUMN " + column.name() + " "
              + column.type());
        }
      }
      // 0.1 keys hashed no code versions: such a key is the run's identity.
      statement.execute("UPDATE runs SET identity = stage_key WHERE identity IS NULL");
      createPredictionsTable(statement);
      statement.execute("CREATE INDEX IF NOT EXISTS runs_experiment ON runs(experiment)");
      statement.execute("CREATE INDEX IF NOT EXISTS runs_identity ON runs(identity)");
      statement.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', '"
          + SCHEMA_VERSION + "')");
      statement.execute("PRAGMA user_version = " + SCHEMA_VERSION);
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  /**
   * Schema 3: per-example predictions of each run (the {@code degenerate} column it also adds comes
   * from {@link #COLUMNS} like every other column). Keyed by run, split and example, without a
   * rowid: the key is the table, so nothing is stored twice.
   */
  private static void createPredictionsTable(Statement statement) throws SQLException {
    statement.execute("CREATE TABLE IF NOT EXISTS prediction_runs (run INTEGER PRIMARY KEY, "
        + "stage_key TEXT NOT NULL UNIQUE)");
    statement.execute("CREATE TABLE IF NOT EXISTS predictions (run INTEGER NOT NULL, "
        + "split TEXT NOT NULL, example INTEGER NOT NULL, sequence_id TEXT, "
        + "label INTEGER NOT NULL, predicted INTEGER NOT NULL, probabilities TEXT NOT NULL, "
        + "PRIMARY KEY (run, split, example)) WITHOUT ROWID");
    statement.execute("CREATE VIEW IF NOT EXISTS run_predictions AS SELECT r.stage_key, "
        + "p.split, p.example, p.sequence_id, p.label, p.predicted, p.probabilities "
        + "FROM predictions p JOIN prediction_runs r ON r.run = p.run");
  }

  /**
   * The schema version of the open file: {@code PRAGMA user_version}, else (a 0.1 store, which
   * left it 0) the {@code meta} table's, else 0 for a new file.
   */
  private static int schemaVersion(Statement statement) throws SQLException {
    try (ResultSet pragma = statement.executeQuery("PRAGMA user_version")) {
      int version = pragma.next() ? pragma.getInt(1) : 0;
      if (version > 0) {
        return version;
      }
    }
    try (ResultSet meta = statement.executeQuery("SELECT name FROM sqlite_master WHERE "
        + "type = 'table' AND name = 'meta'")) {
      if (!meta.next()) {
        return 0;
      }
    }
    try (ResultSet version = statement.executeQuery(
        "SELECT value FROM meta WHERE key = 'schema_version'")) {
      return version.next() ? Integer.parseInt(version.getString(1)) : 0;
    }
  }

  /** The schema version the file now has ({@code PRAGMA user_version}). */
  public synchronized int schemaVersion() {
    try (Statement statement = connection.createStatement()) {
      return schemaVersion(statement);
    } catch (SQLException e) {
      throw new StoreException(file, "cannot read the schema version: " + e.getMessage(), e);
    }
  }

  /**
   * Records a finished run in one transaction. Returns false when the store already held a row
   * with this key (kept as it was).
   */
  public synchronized boolean record(StoredRun run) {
    return record(run, List.of());
  }

  /**
   * Records a finished run and its per-example predictions in one transaction: a reader sees the
   * row with all its predictions or neither. Returns false when the store already held a row with
   * this key (kept as it was, with its predictions; {@code predictions} are then not written).
   */
  public synchronized boolean record(StoredRun run, List<Predictions> predictions) {
    String sql = "INSERT OR IGNORE INTO runs(" + String.join(", ", COLUMNS.stream()
        .map(Column::name).toList()) + ") VALUES ("
        + String.join(", ", java.util.Collections.nCopies(COLUMNS.size(), "?")) + ")";
    try {
      connection.setAutoCommit(false);
      try (PreparedStatement insert = connection.prepareStatement(sql)) {
        for (int i = 0; i < COLUMNS.size(); i++) {
          insert.setObject(i + 1, COLUMNS.get(i).value().apply(run), sqlType(COLUMNS.get(i)));
        }
        int inserted = insert.executeUpdate();
        if (inserted == 1) {
          insertPredictions(run.key(), predictions);
        }
        connection.commit();
        return inserted == 1;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException(file, "cannot record run " + run.key() + ": " + e.getMessage(), e);
    }
  }

  private void insertPredictions(String key, List<Predictions> splits) throws SQLException {
    if (splits.isEmpty()) {
      return;
    }
    long run;
    try (PreparedStatement id = connection.prepareStatement(
        "INSERT INTO prediction_runs(stage_key) VALUES (?)")) {
      id.setString(1, key);
      id.executeUpdate();
    }
    try (Statement last = connection.createStatement();
        ResultSet rows = last.executeQuery("SELECT last_insert_rowid()")) {
      rows.next();
      run = rows.getLong(1);
    }
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO predictions("
        + "run, split, example, sequence_id, label, predicted, probabilities) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (Predictions split : splits) {
        for (int i = 0; i < split.size(); i++) {
          insert.setLong(1, run);
          insert.setString(2, split.split());
          insert.setInt(3, i);
          String id = split.sequenceIds().get(i);
          // An id that is only the index is not stored twice.
          insert.setString(4, id.equals(Integer.toString(i)) ? null : id);
          insert.setInt(5, split.labels()[i]);
          insert.setInt(6, split.predicted()[i]);
          insert.setString(7, probabilitiesJson(split.probabilities()[i]));
          insert.addBatch();
        }
      }
      insert.executeBatch();
    }
  }

  /** {@code [0.25,0.75]}: each float32 as its shortest decimal, which parses back exactly. */
  static String probabilitiesJson(float[] probabilities) {
    StringBuilder json = new StringBuilder(probabilities.length * 12).append('[');
    for (int k = 0; k < probabilities.length; k++) {
      if (k > 0) {
        json.append(',');
      }
      float p = probabilities[k];
      // JSON has no NaN: a diverged run's NaN probabilities are stored as null.
      json.append(Float.isFinite(p) ? Float.toString(p) : "null");
    }
    return json.append(']').toString();
  }

  private float[] parseProbabilities(String json) {
    String body = json.substring(1, json.length() - 1);
    if (body.isEmpty()) {
      return new float[0];
    }
    String[] cells = body.split(",");
    float[] values = new float[cells.length];
    for (int k = 0; k < cells.length; k++) {
      values[k] = cells[k].equals("null") ? Float.NaN : Float.parseFloat(cells[k]);
    }
    return values;
  }

  /**
   * The stored per-example predictions of run {@code key}, dev then test; empty when it has none
   * (a run recorded before schema 3, or without predictions).
   */
  public synchronized List<Predictions> predictions(String key) {
    Map<String, List<PredictionRow>> bySplit = new TreeMap<>();
    forEachPrediction(key, null, row -> bySplit.computeIfAbsent(row.split(),
        s -> new ArrayList<>()).add(row));
    List<Predictions> splits = new ArrayList<>();
    for (String split : RunColumns.SPLITS) {
      List<PredictionRow> rows = bySplit.get(split);
      if (rows == null) {
        continue;
      }
      int n = rows.size();
      int[] labels = new int[n];
      int[] predicted = new int[n];
      float[][] probabilities = new float[n][];
      List<String> ids = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        PredictionRow row = rows.get(i);
        ids.add(row.sequenceId());
        labels[i] = row.label();
        predicted[i] = row.predicted();
        probabilities[i] = row.probabilities();
      }
      splits.add(new Predictions(split, ids, labels, predicted, probabilities));
    }
    return splits;
  }

  /**
   * One stored prediction: run key, split, example index, sequence id (the index as text when the
   * task has no ids), true and predicted class, class probabilities.
   */
  public record PredictionRow(String stageKey, String split, int example, String sequenceId,
      int label, int predicted, float[] probabilities) {}

  /**
   * Streams the predictions of run {@code key} (of {@code split} only, or both when null) to
   * {@code action}, split then example order, without holding them all in memory.
   */
  public synchronized void forEachPrediction(String key, String split,
      java.util.function.Consumer<PredictionRow> action) {
    String sql = "SELECT split, example, sequence_id, label, predicted, probabilities FROM "
        + "predictions WHERE run = (SELECT run FROM prediction_runs WHERE stage_key = ?)"
        + (split == null ? "" : " AND split = ?") + " ORDER BY split, example";
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      query.setString(1, key);
      if (split != null) {
        query.setString(2, split);
      }
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          int example = rows.getInt(2);
          String id = rows.getString(3);
          action.accept(new PredictionRow(key, rows.getString(1), example,
              id == null ? Integer.toString(example) : id, rows.getInt(4), rows.getInt(5),
              parseProbabilities(rows.getString(6))));
        }
      }
    } catch (SQLException e) {
      throw new StoreException(file, "cannot read predictions of " + key + ": "
          + e.getMessage(), e);
    }
  }

  /** The largest number of classes among the stored predictions of {@code keys} (0: none). */
  public synchronized int predictionClasses(Collection<String> keys) {
    int classes = 0;
    try (PreparedStatement query = connection.prepareStatement("SELECT probabilities FROM "
        + "run_predictions WHERE stage_key = ? LIMIT 1")) {
      for (String key : keys) {
        query.setString(1, key);
        try (ResultSet rows = query.executeQuery()) {
          if (rows.next()) {
            classes = Math.max(classes, parseProbabilities(rows.getString(1)).length);
          }
        }
      }
    } catch (SQLException e) {
      throw new StoreException(file, "cannot query: " + e.getMessage(), e);
    }
    return classes;
  }

  /**
   * The predictions of {@code runs} as columns (name → one value per row, in order), the columns
   * and rows {@link #exportPredictionsCsv} writes: for tables and DataFrames. Probabilities are
   * {@code p_0 … p_(K-1)} (Double; null where a run has fewer classes).
   */
  public synchronized Map<String, List<Object>> predictionColumns(List<StoredRun> runs,
      String split) {
    int classes = predictionClasses(runs.stream().map(StoredRun::key).toList());
    Map<String, List<Object>> columns = new java.util.LinkedHashMap<>();
    List<String> names = new ArrayList<>(PREDICTION_RUN_COLUMNS);
    names.addAll(List.of("split", "example", "sequence_id", "label", "predicted"));
    for (int k = 0; k < classes; k++) {
      names.add("p_" + k);
    }
    names.forEach(name -> columns.put(name, new ArrayList<>()));
    for (StoredRun run : runs) {
      RunResult r = run.result();
      List<Object> runValues = List.of(run.key(), r.experiment(), r.task(), r.tokenizer(),
          r.model(), r.pretrain(), r.seed());
      forEachPrediction(run.key(), split, row -> {
        for (int c = 0; c < runValues.size(); c++) {
          columns.get(names.get(c)).add(runValues.get(c));
        }
        columns.get("degenerate").add(r.degenerate());
        columns.get("split").add(row.split());
        columns.get("example").add(row.example());
        columns.get("sequence_id").add(row.sequenceId());
        columns.get("label").add(row.label());
        columns.get("predicted").add(row.predicted());
        for (int k = 0; k < classes; k++) {
          float p = k < row.probabilities().length ? row.probabilities()[k] : Float.NaN;
          columns.get("p_" + k).add(Float.isFinite(p) ? (Object) (double) p : null);
        }
      });
    }
    return columns;
  }

  /** The columns of each run that a predictions export repeats on every row. */
  public static final List<String> PREDICTION_RUN_COLUMNS = List.of("stage_key", "experiment",
      "task", "tokenizer", "model", "pretrain", "seed", "degenerate");

  /**
   * Writes the predictions of {@code runs} as CSV, one row per example per run per split
   * ({@code split}: dev, test, or null for both): {@link #PREDICTION_RUN_COLUMNS}, then
   * {@code split, example, sequence_id, label, predicted, p_0 … p_(K-1)} with K the most classes
   * among the runs (empty where a run has fewer). Returns the rows written. Runs without stored
   * predictions write none.
   */
  public long exportPredictionsCsv(List<StoredRun> runs, String split, Path csv)
      throws IOException {
    int classes = predictionClasses(runs.stream().map(StoredRun::key).toList());
    long[] written = {0};
    try (Writer writer = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      List<String> header = new ArrayList<>(PREDICTION_RUN_COLUMNS);
      header.addAll(List.of("split", "example", "sequence_id", "label", "predicted"));
      for (int k = 0; k < classes; k++) {
        header.add("p_" + k);
      }
      writer.write(String.join(",", header) + "\n");
      for (StoredRun run : runs) {
        RunResult r = run.result();
        String prefix = String.join(",", RunColumns.csvCell(run.key()),
            RunColumns.csvCell(r.experiment()), RunColumns.csvCell(r.task()),
            RunColumns.csvCell(r.tokenizer()), RunColumns.csvCell(r.model()),
            RunColumns.csvCell(r.pretrain()), Long.toString(r.seed()),
            RunColumns.csvCell(r.degenerate()));
        IOException[] failure = {null};
        forEachPrediction(run.key(), split, row -> {
          if (failure[0] != null) {
            return;
          }
          StringBuilder line = new StringBuilder(prefix).append(',').append(row.split())
              .append(',').append(row.example()).append(',')
              .append(RunColumns.csvCell(row.sequenceId())).append(',').append(row.label())
              .append(',').append(row.predicted());
          for (int k = 0; k < classes; k++) {
            line.append(',');
            if (k < row.probabilities().length && Float.isFinite(row.probabilities()[k])) {
              line.append(row.probabilities()[k]);
            }
          }
          try {
            writer.write(line.append('\n').toString());
            written[0]++;
          } catch (IOException e) {
            failure[0] = e;
          }
        });
        if (failure[0] != null) {
          throw failure[0];
        }
      }
    }
    return written[0];
  }

  /**
   * Imports finished runs (result files of workers) in one transaction; returns how many rows were
   * added. A key the store already holds is kept as it was, so importing the same runs again, or
   * from two processes at once, leaves one row per key.
   */
  public synchronized int importRuns(Collection<StoredRun> runs) {
    return importRuns(runs, Map.of());
  }

  /**
   * As {@link #importRuns(Collection)}, each added row with its per-example {@code predictions}
   * (by run key) in the same transaction.
   */
  public synchronized int importRuns(Collection<StoredRun> runs,
      Map<String, List<Predictions>> predictions) {
    if (runs.isEmpty()) {
      return 0;
    }
    String sql = "INSERT OR IGNORE INTO runs(" + String.join(", ", COLUMNS.stream()
        .map(Column::name).toList()) + ") VALUES ("
        + String.join(", ", java.util.Collections.nCopies(COLUMNS.size(), "?")) + ")";
    try {
      connection.setAutoCommit(false);
      try (PreparedStatement insert = connection.prepareStatement(sql)) {
        int added = 0;
        for (StoredRun run : runs) {
          for (int i = 0; i < COLUMNS.size(); i++) {
            insert.setObject(i + 1, COLUMNS.get(i).value().apply(run), sqlType(COLUMNS.get(i)));
          }
          int inserted = insert.executeUpdate();
          if (inserted == 1) {
            insertPredictions(run.key(), predictions.getOrDefault(run.key(), List.of()));
          }
          added += inserted;
        }
        connection.commit();
        return added;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException(file, "cannot import " + runs.size() + " runs: " + e.getMessage(),
          e);
    }
  }

  private static int sqlType(Column<?> column) {
    return switch (column.type()) {
      case TEXT -> Types.VARCHAR;
      case INTEGER -> Types.BIGINT;
      case REAL -> Types.DOUBLE;
    };
  }

  /**
   * The code versions of the newest row of each of {@code identities} that has one (empty for a
   * row written before code versions): what made a stored run of the same cell and seed, to tell
   * why it is stale.
   */
  public synchronized Map<String, Map<String, Integer>> versionsByIdentity(
      Collection<String> identities) {
    Map<String, Map<String, Integer>> found = new HashMap<>();
    try (PreparedStatement query = connection.prepareStatement("SELECT code_versions FROM runs "
        + "WHERE identity = ? ORDER BY rowid DESC LIMIT 1")) {
      for (String identity : identities) {
        query.setString(1, identity);
        try (ResultSet rows = query.executeQuery()) {
          if (rows.next()) {
            found.put(identity, parseVersions(rows.getString(1)));
          }
        }
      }
    } catch (SQLException e) {
      throw new StoreException(file, "cannot query: " + e.getMessage(), e);
    }
    return found;
  }

  /** Which of {@code keys} have a row. */
  public synchronized Set<String> finished(Collection<String> keys) {
    Set<String> found = new HashSet<>();
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT 1 FROM runs WHERE stage_key = ?")) {
      for (String key : keys) {
        query.setString(1, key);
        try (ResultSet rows = query.executeQuery()) {
          if (rows.next()) {
            found.add(key);
          }
        }
      }
    } catch (SQLException e) {
      throw new StoreException(file, "cannot query: " + e.getMessage(), e);
    }
    return found;
  }

  public synchronized Optional<StoredRun> find(String key) {
    List<StoredRun> runs = query("WHERE stage_key = ?", key);
    return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
  }

  /** Every row, in the order they were finished. */
  public synchronized List<StoredRun> all() {
    return query("");
  }

  /** The rows recorded under an experiment name, in the order they were finished. */
  public synchronized List<StoredRun> ofExperiment(String experiment) {
    return query("WHERE experiment = ?", experiment);
  }

  public synchronized int count() {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM runs")) {
      rows.next();
      return rows.getInt(1);
    } catch (SQLException e) {
      throw new StoreException(file, "cannot count: " + e.getMessage(), e);
    }
  }

  /**
   * Mean wall seconds of the stored runs of {@code model} with {@code tokenizer} on {@code task}
   * that trained {@code epochs} epochs (any seed, pretraining, experiment), or empty when there is
   * none: the planner's estimate for a run still to do.
   */
  public synchronized Optional<Double> meanWallSeconds(String task, String tokenizer,
      String model, int epochs) {
    try (PreparedStatement query = connection.prepareStatement("SELECT avg(wall_seconds), "
        + "count(*) FROM runs WHERE task = ? AND tokenizer = ? AND model = ? AND epochs = ?")) {
      query.setString(1, task);
      query.setString(2, tokenizer);
      query.setString(3, model);
      query.setInt(4, epochs);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getInt(2) == 0 ? Optional.empty() : Optional.of(rows.getDouble(1));
      }
    } catch (SQLException e) {
      throw new StoreException(file, "cannot query: " + e.getMessage(), e);
    }
  }

  /** {@code PRAGMA integrity_check}: {@code ok} for a sound file. */
  public synchronized String integrityCheck() {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("PRAGMA integrity_check")) {
      List<String> lines = new ArrayList<>();
      while (rows.next()) {
        lines.add(rows.getString(1));
      }
      return String.join("\n", lines);
    } catch (SQLException e) {
      throw new StoreException(file, "integrity check failed: " + e.getMessage(), e);
    }
  }

  /**
   * Writes the {@link #COLUMNS} (but the JSON records, {@code spec_json} and
   * {@code provenance_json}), one row per run.
   */
  public void exportCsv(List<StoredRun> runs, Path csv) {
    List<Column<StoredRun>> columns = csvColumns();
    try (Writer writer = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      writer.write(RunColumns.csvHeader(columns) + "\n");
      for (StoredRun run : runs) {
        writer.write(RunColumns.csvRow(columns, run) + "\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + csv + ": " + e.getMessage(), e);
    }
  }

  /** The columns of a table for people: every column but the whole JSON records. */
  public static List<Column<StoredRun>> csvColumns() {
    return COLUMNS.stream().filter(c -> !c.name().endsWith("_json")).toList();
  }

  /** Every row to CSV (see {@link #exportCsv(List, Path)}). */
  public void exportCsv(Path csv) {
    exportCsv(all(), csv);
  }

  private List<StoredRun> query(String where, String... arguments) {
    List<StoredRun> runs = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT * FROM runs " + where + " ORDER BY finished_at, rowid")) {
      for (int i = 0; i < arguments.length; i++) {
        query.setString(i + 1, arguments[i]);
      }
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          runs.add(read(rows));
        }
      }
    } catch (SQLException e) {
      throw new StoreException(file, "cannot read runs: " + e.getMessage(), e);
    }
    return runs;
  }

  private StoredRun read(ResultSet rows) throws SQLException {
    Map<String, Object> values = new HashMap<>();
    for (Column<StoredRun> column : COLUMNS) {
      values.put(column.name(), rows.getObject(column.name()));
    }
    RunResult result = RunColumns.result(values::get);
    return new StoredRun(rows.getString("stage_key"), rows.getString("identity"),
        parseVersions(rows.getString("code_versions")), result, rows.getString("spec_json"),
        Provenance.fromJson(rows.getString("provenance_json")));
  }

  /** Canonical JSON of code versions: keys sorted, e.g. {@code {"model:unet":1,"trainer":1}}. */
  public static String versionsJson(Map<String, Integer> versions) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(versions));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** NULL (a 0.1 row) is no versions. */
  private Map<String, Integer> parseVersions(String json) {
    if (json == null) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, new TypeReference<TreeMap<String, Integer>>() {});
    } catch (JsonProcessingException e) {
      throw new StoreException(file, "code_versions is not a JSON object of versions: " + json,
          e);
    }
  }

  private static String setting(String property, String env) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(env);
    }
    return value == null || value.isBlank() ? null : value;
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StoreException(file, "cannot close: " + e.getMessage(), e);
    }
  }

  /** A store that cannot be opened, read or written; the message names its file. */
  public static final class StoreException extends RuntimeException {
    StoreException(Path file, String message, Throwable cause) {
      super(file + ": " + message, cause);
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ResultStore(%s)", file);
  }
}
