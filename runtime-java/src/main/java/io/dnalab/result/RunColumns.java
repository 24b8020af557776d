package io.dnalab.result;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The one definition of a run's columns. The SQLite table of {@code io.dnalab.store.ResultStore},
 * its CSV export, {@link RunResult#csvHeader()} / {@link RunResult#toCsvRow()} and the DSL's
 * DataFrames are all generated from these lists, so a column is added in one place.
 *
 * <p>A value is a {@link String}, {@link Long} or {@link Double}, or null where it was not
 * measured: a metric that is undefined (NaN, e.g. AUROC of a one-class split), tokens or FLOPs not
 * counted (-1, NaN). Null is SQL {@code NULL}, an empty CSV cell and a missing DataFrame value.
 */
public final class RunColumns {
  private RunColumns() {}

  /** The SQLite storage class of a column. */
  public enum SqlType { TEXT, INTEGER, REAL }

  /**
   * One column: its name (SQL, CSV header, DataFrame), SQL type, whether every row has a value,
   * and how to read its value from a source (a {@link RunResult}, a {@link Provenance}, a stored
   * row).
   */
  public record Column<S>(String name, SqlType type, boolean required, Function<S, Object> value) {

    /** {@code name TYPE [NOT NULL]}, as a CREATE TABLE lists it. */
    public String ddl() {
      return name + " " + type + (required ? " NOT NULL" : "");
    }

    /** The same column read from a value that holds an {@code S}. */
    public <T> Column<T> of(Function<T, S> part) {
      return new Column<>(name, type, required, part.andThen(value));
    }
  }

  /** The splits a run is scored on, in column order. */
  public static final List<String> SPLITS = List.of("dev", "test");

  /**
   * What a run computed, in table order: the cell (experiment, task, tokenizer, model, pretrain),
   * the seed, the pretraining seed, per split every metric of {@link MetricSet#NAMES} and the
   * split's example count, then the cost and training length, the degenerate-run flag, then the
   * fine-tuning recipe's name.
   */
  public static final List<Column<RunResult>> RESULT = resultColumns();

  /** Where and when a run ran: commit, host, start and end (ISO-8601 UTC), the whole record. */
  public static final List<Column<Provenance>> PROVENANCE = List.of(
      text("git_commit", false, Provenance::gitCommit),
      text("host", false, Provenance::host),
      text("started_at", false, p -> p.startedAt().toString()),
      text("finished_at", false, p -> p.finishedAt().toString()),
      text("provenance_json", true, Provenance::toJson));

  private static List<Column<RunResult>> resultColumns() {
    List<Column<RunResult>> columns = new ArrayList<>(List.of(
        text("experiment", true, RunResult::experiment),
        text("task", true, RunResult::task),
        text("tokenizer", true, RunResult::tokenizer),
        text("model", true, RunResult::model),
        text("pretrain", true, RunResult::pretrain),
        integer("seed", true, RunResult::seed),
        // null: random initialisation, or a row written before pretraining seeds were recorded
        integer("pretrain_seed", false, RunResult::pretrainSeed)));
    for (String split : SPLITS) {
      Function<RunResult, MetricSet> metrics = split.equals("dev") ? RunResult::dev
          : RunResult::test;
      for (String metric : MetricSet.NAMES) {
        columns.add(real(split + "_" + metric, metrics.andThen(m -> m.get(metric))));
      }
      columns.add(integer(split + "_examples", false, r -> (long) metrics.apply(r).examples()));
    }
    columns.addAll(List.of(
        integer("parameters", false, RunResult::parameters),
        real("wall_seconds", RunResult::wallSeconds),
        integer("epochs", false, r -> (long) r.epochs()),
        integer("steps", false, RunResult::steps),
        integer("best_epoch", false, r -> (long) r.bestEpoch()),
        text("device", false, RunResult::device),
        // -1: not counted
        integer("tokens_seen", false, r -> r.tokensSeen() < 0 ? null : r.tokensSeen()),
        real("flops", RunResult::flops),
        // null: not flagged (or recorded before the guard); else why (metrics.DegenerateRun)
        text("degenerate", false, RunResult::degenerate),
        // last, so the columns before it keep their places in CSV files
        text("recipe", false, RunResult::recipe)));
    return List.copyOf(columns);
  }

  /**
   * The {@link RunResult} whose {@link #RESULT} columns have the values {@code valueOf} gives by
   * column name (as read back from SQLite: numbers of any width, null for not measured). The
   * inverse of the columns' value functions; a test round-trips every column through it.
   */
  public static RunResult result(Function<String, Object> valueOf) {
    MetricSet[] metrics = new MetricSet[SPLITS.size()];
    for (int s = 0; s < SPLITS.size(); s++) {
      String split = SPLITS.get(s);
      Function<String, Double> metric = name -> realOf(valueOf.apply(split + "_" + name));
      metrics[s] = new MetricSet((int) longOf(valueOf.apply(split + "_examples"), 0),
          metric.apply("accuracy"), metric.apply("mcc"), metric.apply("f1"),
          metric.apply("auroc"), metric.apply("auprc"), metric.apply("loss"));
    }
    return new RunResult((String) valueOf.apply("experiment"), (String) valueOf.apply("task"),
        (String) valueOf.apply("tokenizer"), (String) valueOf.apply("model"),
        (String) valueOf.apply("pretrain"), longOf(valueOf.apply("seed"), 0), metrics[0],
        metrics[1], longOf(valueOf.apply("parameters"), 0),
        realOf(valueOf.apply("wall_seconds")), (int) longOf(valueOf.apply("epochs"), 0),
        longOf(valueOf.apply("steps"), 0), (int) longOf(valueOf.apply("best_epoch"), 0),
        (String) valueOf.apply("device"), longOf(valueOf.apply("tokens_seen"), -1),
        realOf(valueOf.apply("flops")), valueOf.apply("pretrain_seed") == null ? null
            : longOf(valueOf.apply("pretrain_seed"), 0), (String) valueOf.apply("degenerate"),
        (String) valueOf.apply("recipe"));
  }

  /** The names of {@code columns}, comma-separated: a CSV header. */
  public static String csvHeader(List<? extends Column<?>> columns) {
    return String.join(",", columns.stream().map(Column::name).toList());
  }

  /** One CSV line (no line end) of {@code source}'s values in {@code columns}. */
  public static <S> String csvRow(List<Column<S>> columns, S source) {
    List<String> cells = new ArrayList<>(columns.size());
    for (Column<S> column : columns) {
      cells.add(csvCell(column.value().apply(source)));
    }
    return String.join(",", cells);
  }

  /**
   * A value as a CSV cell: empty for null, {@link Double#toString} for reals (lossless), RFC 4180
   * quoting where text holds a comma, quote or line break.
   */
  public static String csvCell(Object value) {
    if (value == null) {
      return "";
    }
    String text = value instanceof Double d ? Double.toString(d) : value.toString();
    if (text.contains(",") || text.contains("\"") || text.contains("\n")) {
      return "\"" + text.replace("\"", "\"\"") + "\"";
    }
    return text;
  }

  private static <S> Column<S> text(String name, boolean required, Function<S, String> value) {
    return new Column<>(name, SqlType.TEXT, required, value::apply);
  }

  private static <S> Column<S> integer(String name, boolean required, Function<S, Long> value) {
    return new Column<>(name, SqlType.INTEGER, required, value::apply);
  }

  /** NaN (undefined or not estimated) is null. */
  private static <S> Column<S> real(String name, Function<S, Double> value) {
    return new Column<>(name, SqlType.REAL, false, source -> {
      Double v = value.apply(source);
      return v == null || v.isNaN() ? null : v;
    });
  }

  private static long longOf(Object value, long absent) {
    return value == null ? absent : ((Number) value).longValue();
  }

  private static double realOf(Object value) {
    return value == null ? Double.NaN : ((Number) value).doubleValue();
  }
}
