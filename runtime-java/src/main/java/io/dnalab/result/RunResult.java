package io.dnalab.result;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One finished training run: which cell and seed, its dev and test metrics (of the parameters
 * kept on dev), and what it cost.
 *
 * @param wallSeconds wall time of the whole run (training, dev selection, test)
 * @param epochs epochs trained (fewer than asked when stopped early)
 * @param bestEpoch the epoch whose parameters were kept and tested
 * @param device engine, version, device and threads, e.g. {@code PyTorch 2.5.1 cpu(), 2 intra-op threads}
 * @param tokensSeen non-padding input tokens over all fine-tuning steps (-1 when not counted)
 * @param flops analytic fine-tuning FLOPs estimate, forward + backward (NaN when unknown)
 */
public record RunResult(String experiment, String task, String tokenizer, String model,
    String pretrain, long seed, MetricSet dev, MetricSet test, long parameters,
    double wallSeconds, int epochs, long steps, int bestEpoch, String device, long tokensSeen,
    double flops) {

  /** A result whose cost in tokens and FLOPs was not counted. */
  public RunResult(String experiment, String task, String tokenizer, String model,
      String pretrain, long seed, MetricSet dev, MetricSet test, long parameters,
      double wallSeconds, int epochs, long steps, int bestEpoch, String device) {
    this(experiment, task, tokenizer, model, pretrain, seed, dev, test, parameters, wallSeconds,
        epochs, steps, bestEpoch, device, -1, Double.NaN);
  }

  /** The CSV header {@link #toCsvRow} matches. */
  public static String csvHeader() {
    List<String> columns = new ArrayList<>(List.of("experiment", "task", "tokenizer", "model",
        "pretrain", "seed"));
    for (String split : new String[] {"dev", "test"}) {
      for (String metric : MetricSet.NAMES) {
        columns.add(split + "_" + metric);
      }
    }
    columns.addAll(List.of("parameters", "wall_seconds", "epochs", "steps", "best_epoch",
        "device", "tokens_seen", "flops"));
    return String.join(",", columns);
  }

  public String toCsvRow() {
    List<String> cells = new ArrayList<>(List.of(csv(experiment), csv(task), csv(tokenizer),
        csv(model), csv(pretrain), Long.toString(seed)));
    for (MetricSet metrics : new MetricSet[] {dev, test}) {
      for (String metric : MetricSet.NAMES) {
        cells.add(number(metrics.get(metric)));
      }
    }
    cells.addAll(List.of(Long.toString(parameters), String.format(Locale.ROOT, "%.3f",
        wallSeconds), Integer.toString(epochs), Long.toString(steps), Integer.toString(bestEpoch),
        csv(device), tokensSeen < 0 ? "" : Long.toString(tokensSeen), number(flops)));
    return String.join(",", cells);
  }

  /** Writes a header and one row per result (UTF-8, {@code \n} line ends). */
  public static void writeCsv(List<RunResult> results, Path file) throws IOException {
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      writer.write(csvHeader());
      writer.write('\n');
      for (RunResult result : results) {
        writer.write(result.toCsvRow());
        writer.write('\n');
      }
    }
  }

  private static String number(double value) {
    return Double.isNaN(value) ? "" : Double.toString(value);
  }

  /** RFC 4180 quoting where a value holds a comma, quote or line break. */
  private static String csv(String value) {
    if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
      return "\"" + value.replace("\"", "\"\"") + "\"";
    }
    return value;
  }
}
