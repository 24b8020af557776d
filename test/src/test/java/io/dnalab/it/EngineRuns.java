package io.dnalab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code dnalab run SPEC.json} in a child process with its own cache and result store, and the
 * store read back with plain SQL.
 *
 * <p>The child is the JVM that {@code bin/dnalab run} execs ({@code io.dnalab.cli.DnalabCli} on
 * runtime-java's classes and {@code cli.classpath}), started directly: this is the process that
 * must survive {@code kill -9}, and going through {@code bin/dnalab} would add its setup step
 * (which may install the project) to every start.
 */
final class EngineRuns {
  private EngineRuns() {}

  /** Leptospira windows (built in), tiny models, one epoch: a few seconds per run on one thread. */
  static String spec(String name, String models, int seeds) {
    return spec(name, NUCLEOTIDE, models, seeds);
  }

  static String spec(String name, String tokenizers, String models, int seeds) {
    return """
        {"name": "%s", "seeds": %d,
         "tasks": [{"type": "builtin", "name": "leptospira_coding_vs_intergenic"}],
         "tokenizers": [%s],
         "models": [%s],
         "pretraining": [{"type": "none"}],
         "finetune": {"epochs": 1, "learningRate": 0.001, "batchSize": 64, "weightDecay": 0.1}}
        """.formatted(name, seeds, tokenizers, models);
  }

  static final String NUCLEOTIDE = "{\"type\": \"nucleotide\"}";
  /** Trained on the task's train split by a tokenizer stage, into the artifact store. */
  static final String BPE = "{\"type\": \"bpe\", \"vocabSize\": 64, \"corpus\": []}";

  static final String CONV = "{\"type\": \"convnova\", \"width\": 8, \"kernelSize\": 3, "
      + "\"blocks\": 1, \"dilationBase\": 2, \"headFactor\": 1, \"feedForward\": false}";
  static final String UNET = "{\"type\": \"unet\", \"depth\": 1, \"width\": 4}";

  /** Starts {@code dnalab run SPEC --results STORE --quiet}, output to {@code log}. */
  static Process start(Path dir, Path spec, Path store, Path log) throws IOException {
    return cli(dir, log, "run", spec.toString(), "--results", store.toString(), "--quiet");
  }

  /**
   * Starts the CLI JVM with {@code args}, cache in {@code dir/cache}, one thread, output to
   * {@code log}.
   */
  static Process cli(Path dir, Path log, String... args) throws IOException {
    return cli(dir, log, Map.of(), args);
  }

  /** As {@link #cli(Path, Path, String...)}, with {@code environment} added. */
  static Process cli(Path dir, Path log, Map<String, String> environment, String... args)
      throws IOException {
    Path root = Dnalab.home();
    Path classes = root.resolve("runtime-java/target/classes");
    Path classpath = root.resolve("runtime-java/target/cli.classpath");
    assertThat(classpath).as("runtime-java is packaged before the ITs run").exists();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classes + ":" + Files.readString(classpath).trim(),
        "io.dnalab.cli.DnalabCli"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("DNALAB_CACHE", dir.resolve("cache").toString());
    builder.environment().put("DNALAB_THREADS", "1");
    builder.environment().put("DJL_OFFLINE", "true");
    builder.environment().put("OPT_OUT_TRACKING", "true");
    builder.environment().remove("DNALAB_RESULTS");
    builder.environment().putAll(environment);
    return builder.start();
  }

  static void awaitSuccess(Process process, Path log, long seconds) throws Exception {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("dnalab run ran past " + seconds + " s:\n" + Files.readString(log));
    }
    assertThat(process.exitValue()).as(Files.readString(log)).isZero();
  }

  /** stage_key → finished_at of every row, read with plain SQL. */
  static Map<String, String> rows(Path store) throws SQLException {
    Map<String, String> rows = new LinkedHashMap<>();
    if (!Files.exists(store)) {
      return rows;
    }
    try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + store);
        Statement statement = sql.createStatement()) {
      statement.execute("PRAGMA busy_timeout = 10000");
      try (ResultSet result = statement.executeQuery(
          "SELECT stage_key, finished_at FROM runs ORDER BY finished_at")) {
        while (result.next()) {
          rows.put(result.getString(1), result.getString(2));
        }
      }
    } catch (SQLException e) {
      if (e.getMessage().contains("no such table")) {
        return rows; // the child has not created its schema yet
      }
      throw e;
    }
    return rows;
  }

  static String integrityCheck(Path store) throws SQLException {
    try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + store);
        Statement statement = sql.createStatement();
        ResultSet result = statement.executeQuery("PRAGMA integrity_check")) {
      result.next();
      return result.getString(1);
    }
  }
}
