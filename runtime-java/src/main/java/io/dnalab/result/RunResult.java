package io.dnalab.result;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
 * @param pretrainSeed the seed of the pretraining run the encoder started from; null for random
 *     initialisation (and for a stored row written before pretraining seeds were recorded)
 * @param degenerate why the run is flagged as degenerate ({@code metrics.DegenerateRun}: test
 *     predictions all one class, or dev MCC at chance throughout), null when it is not flagged
 *     (or was recorded before the guard existed)
 * @param recipe the name of the fine-tuning recipe the run used ({@code dnabert2-gue}; its every
 *     number is in the run's spec JSON), null where not recorded (rows of older code)
 */
public record RunResult(String experiment, String task, String tokenizer, String model,
    String pretrain, long seed, MetricSet dev, MetricSet test, long parameters,
    double wallSeconds, int epochs, long steps, int bestEpoch, String device, long tokensSeen,
    double flops, Long pretrainSeed, String degenerate, String recipe) {

  /** A result that names no recipe. */
  public RunResult(String experiment, String task, String tokenizer, String model,
      String pretrain, long seed, MetricSet dev, MetricSet test, long parameters,
      double wallSeconds, int epochs, long steps, int bestEpoch, String device, long tokensSeen,
      double flops, Long pretrainSeed, String degenerate) {
    this(experiment, task, tokenizer, model, pretrain, seed, dev, test, parameters, wallSeconds,
        epochs, steps, bestEpoch, device, tokensSeen, flops, pretrainSeed, degenerate, null);
  }

  /** A result with no pretraining seed recorded (random initialisation), not flagged. */
  public RunResult(String experiment, String task, String tokenizer, String model,
      String pretrain, long seed, MetricSet dev, MetricSet test, long parameters,
      double wallSeconds, int epochs, long steps, int bestEpoch, String device, long tokensSeen,
      double flops) {
    this(experiment, task, tokenizer, model, pretrain, seed, dev, test, parameters, wallSeconds,
        epochs, steps, bestEpoch, device, tokensSeen, flops, null, null, null);
  }

  /** The same result started from the pretraining run of seed {@code pretrainSeed}. */
  public RunResult withPretrainSeed(Long pretrainSeed) {
    return new RunResult(experiment, task, tokenizer, model, pretrain, seed, dev, test,
        parameters, wallSeconds, epochs, steps, bestEpoch, device, tokensSeen, flops,
        pretrainSeed, degenerate, recipe);
  }

  /** This result naming the recipe it was fine-tuned with. */
  public RunResult withRecipe(String value) {
    return new RunResult(experiment, task, tokenizer, model, pretrain, seed, dev, test,
        parameters, wallSeconds, epochs, steps, bestEpoch, device, tokensSeen, flops,
        pretrainSeed, degenerate, value);
  }

  /** Whether the run is flagged as degenerate (see {@link #degenerate}). */
  public boolean isDegenerate() {
    return degenerate != null;
  }

  /** The same run recorded under another experiment name (a row another experiment wrote). */
  public RunResult inExperiment(String name) {
    return new RunResult(name, task, tokenizer, model, pretrain, seed, dev, test, parameters,
        wallSeconds, epochs, steps, bestEpoch, device, tokensSeen, flops, pretrainSeed,
        degenerate, recipe);
  }

  /** A result whose cost in tokens and FLOPs was not counted. */
  public RunResult(String experiment, String task, String tokenizer, String model,
      String pretrain, long seed, MetricSet dev, MetricSet test, long parameters,
      double wallSeconds, int epochs, long steps, int bestEpoch, String device) {
    this(experiment, task, tokenizer, model, pretrain, seed, dev, test, parameters, wallSeconds,
        epochs, steps, bestEpoch, device, -1, Double.NaN);
  }

  /** Its cost columns as the one cost value (NaN FLOPs and -1 tokens where not counted). */
  public Cost cost() {
    return new Cost(parameters, tokensSeen, wallSeconds, device, flops);
  }

  /** The CSV header {@link #toCsvRow} matches: the names of {@link RunColumns#RESULT}. */
  public static String csvHeader() {
    return RunColumns.csvHeader(RunColumns.RESULT);
  }

  /** Its values in {@link RunColumns#RESULT}, as one CSV line (empty where not measured). */
  public String toCsvRow() {
    return RunColumns.csvRow(RunColumns.RESULT, this);
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
}
