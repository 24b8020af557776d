package io.dnalab.store;

import io.dnalab.result.MetricSet;
import io.dnalab.result.Provenance;
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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * Finished runs in one SQLite file, one row per run, readable with plain SQL:
 *
 * <pre>
 * runs(stage_key TEXT PRIMARY KEY,      -- sha256 of the run's canonical spec and inputs
 *      experiment, task, tokenizer, model, pretrain TEXT, seed INTEGER,
 *      spec_json TEXT,                   -- what stage_key hashes (canonical JSON)
 *      dev_accuracy, dev_mcc, dev_f1, dev_auroc, dev_auprc, dev_loss REAL, dev_examples INTEGER,
 *      test_accuracy, …, test_loss REAL, test_examples INTEGER,
 *      parameters INTEGER, wall_seconds REAL, epochs INTEGER, steps INTEGER,
 *      best_epoch INTEGER, device TEXT,
 *      tokens_seen INTEGER, flops REAL,  -- NULL until measured
 *      git_commit, host TEXT, started_at, finished_at TEXT,  -- ISO-8601 UTC
 *      provenance_json TEXT)             -- the whole Provenance record
 * meta(key TEXT PRIMARY KEY, value TEXT) -- schema_version = 1
 * </pre>
 *
 * e.g. {@code sqlite3 results.sqlite "select model, avg(test_mcc) from runs group by model"}.
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
  public static final int SCHEMA_VERSION = 1;

  private static final List<String> SPLITS = List.of("dev", "test");

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
      store.createSchema();
      return store;
    } catch (SQLException e) {
      throw new StoreException(file, "cannot open the result store: " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  private void createSchema() throws SQLException {
    StringBuilder columns = new StringBuilder();
    for (String split : SPLITS) {
      for (String metric : MetricSet.NAMES) {
        columns.append(split).append('_').append(metric).append(" REAL, ");
      }
      columns.append(split).append("_examples INTEGER, ");
    }
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)");
      statement.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '"
          + SCHEMA_VERSION + "')");
      statement.execute("CREATE TABLE IF NOT EXISTS runs (stage_key TEXT PRIMARY KEY, "
          + "experiment TEXT NOT NULL, task TEXT NOT NULL, tokenizer TEXT NOT NULL, "
          + "model TEXT NOT NULL, pretrain TEXT NOT NULL, seed INTEGER NOT NULL, "
          + "spec_json TEXT NOT NULL, " + columns + "parameters INTEGER, wall_seconds REAL, "
          + "epochs INTEGER, steps INTEGER, best_epoch INTEGER, device TEXT, "
          + "tokens_seen INTEGER, flops REAL, git_commit TEXT, host TEXT, started_at TEXT, "
          + "finished_at TEXT, provenance_json TEXT NOT NULL)");
      statement.execute("CREATE INDEX IF NOT EXISTS runs_experiment ON runs(experiment)");
      try (ResultSet version = statement.executeQuery(
          "SELECT value FROM meta WHERE key = 'schema_version'")) {
        int found = version.next() ? Integer.parseInt(version.getString(1)) : SCHEMA_VERSION;
        if (found > SCHEMA_VERSION) {
          connection.rollback();
          throw new StoreException(file, "has schema version " + found + " but this dnalab "
              + "reads up to " + SCHEMA_VERSION + "; use a newer dnalab or another store", null);
        }
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  /**
   * Records a finished run in one transaction. Returns false when the store already held a row
   * with this key (kept as it was).
   */
  public synchronized boolean record(StoredRun run) {
    List<String> names = new ArrayList<>(List.of("stage_key", "experiment", "task", "tokenizer",
        "model", "pretrain", "seed", "spec_json"));
    for (String split : SPLITS) {
      for (String metric : MetricSet.NAMES) {
        names.add(split + "_" + metric);
      }
      names.add(split + "_examples");
    }
    names.addAll(List.of("parameters", "wall_seconds", "epochs", "steps", "best_epoch", "device",
        "tokens_seen", "flops", "git_commit", "host", "started_at", "finished_at",
        "provenance_json"));
    String sql = "INSERT OR IGNORE INTO runs(" + String.join(", ", names) + ") VALUES ("
        + String.join(", ", java.util.Collections.nCopies(names.size(), "?")) + ")";
    RunResult r = run.result();
    Provenance p = run.provenance();
    try {
      connection.setAutoCommit(false);
      try (PreparedStatement insert = connection.prepareStatement(sql)) {
        int i = 1;
        insert.setString(i++, run.key());
        insert.setString(i++, r.experiment());
        insert.setString(i++, r.task());
        insert.setString(i++, r.tokenizer());
        insert.setString(i++, r.model());
        insert.setString(i++, r.pretrain());
        insert.setLong(i++, r.seed());
        insert.setString(i++, run.specJson());
        for (MetricSet metrics : new MetricSet[] {r.dev(), r.test()}) {
          for (String metric : MetricSet.NAMES) {
            setDouble(insert, i++, metrics.get(metric));
          }
          insert.setInt(i++, metrics.examples());
        }
        insert.setLong(i++, r.parameters());
        insert.setDouble(i++, r.wallSeconds());
        insert.setInt(i++, r.epochs());
        insert.setLong(i++, r.steps());
        insert.setInt(i++, r.bestEpoch());
        insert.setString(i++, r.device());
        if (run.tokensSeen() == null) {
          insert.setNull(i++, Types.INTEGER);
        } else {
          insert.setLong(i++, run.tokensSeen());
        }
        setDouble(insert, i++, run.flops() == null ? Double.NaN : run.flops());
        insert.setString(i++, p.gitCommit());
        insert.setString(i++, p.host());
        insert.setString(i++, p.startedAt().toString());
        insert.setString(i++, p.finishedAt().toString());
        insert.setString(i++, p.toJson());
        int inserted = insert.executeUpdate();
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
   * Writes {@link RunResult#csvHeader()} plus {@code stage_key}, {@code git_commit},
   * {@code started_at} and {@code finished_at}, one row per run.
   */
  public void exportCsv(List<StoredRun> runs, Path csv) {
    try (Writer writer = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      writer.write(RunResult.csvHeader() + ",stage_key,git_commit,started_at,finished_at\n");
      for (StoredRun run : runs) {
        writer.write(run.result().toCsvRow() + "," + run.key() + ","
            + run.provenance().gitCommit() + "," + run.provenance().startedAt() + ","
            + run.provenance().finishedAt() + "\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + csv + ": " + e.getMessage(), e);
    }
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

  private static StoredRun read(ResultSet rows) throws SQLException {
    MetricSet[] metrics = new MetricSet[2];
    for (int s = 0; s < 2; s++) {
      String split = SPLITS.get(s);
      metrics[s] = new MetricSet(rows.getInt(split + "_examples"),
          getDouble(rows, split + "_accuracy"), getDouble(rows, split + "_mcc"),
          getDouble(rows, split + "_f1"), getDouble(rows, split + "_auroc"),
          getDouble(rows, split + "_auprc"), getDouble(rows, split + "_loss"));
    }
    long tokens = rows.getLong("tokens_seen");
    Long tokensSeen = rows.wasNull() ? null : tokens;
    double flops = rows.getDouble("flops");
    Double flopsValue = rows.wasNull() ? null : flops;
    RunResult result = new RunResult(rows.getString("experiment"), rows.getString("task"),
        rows.getString("tokenizer"), rows.getString("model"), rows.getString("pretrain"),
        rows.getLong("seed"), metrics[0], metrics[1], rows.getLong("parameters"),
        rows.getDouble("wall_seconds"), rows.getInt("epochs"), rows.getLong("steps"),
        rows.getInt("best_epoch"), rows.getString("device"), tokensSeen == null ? -1 : tokensSeen,
        flopsValue == null ? Double.NaN : flopsValue);
    return new StoredRun(rows.getString("stage_key"), result, rows.getString("spec_json"),
        Provenance.fromJson(rows.getString("provenance_json")), tokensSeen, flopsValue);
  }

  /** NaN (a metric that is undefined, e.g. AUROC of a one-class split) is stored as NULL. */
  private static void setDouble(PreparedStatement statement, int index, double value)
      throws SQLException {
    if (Double.isNaN(value)) {
      statement.setNull(index, Types.REAL);
    } else {
      statement.setDouble(index, value);
    }
  }

  private static double getDouble(ResultSet rows, String column) throws SQLException {
    double value = rows.getDouble(column);
    return rows.wasNull() ? Double.NaN : value;
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
