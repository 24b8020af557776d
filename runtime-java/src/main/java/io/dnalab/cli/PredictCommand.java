package io.dnalab.cli;

import io.dnalab.experiment.Dnalab;
import io.dnalab.result.SequencePredictions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dnalab predict}: scores new sequences with the model a run kept
 * ({@code finetune { saveModel() }}); the computation is {@link Dnalab#predict}'s.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Score the sequences of a FASTA file, or of a CSV/TSV with a 'sequence' column (and an",
      "optional 'id' column), with the fine-tuned model a run kept (finetune { saveModel() }).",
      "Writes CSV, one row per sequence in input order: id, length, predicted, p_<class>...",
    })
public final class PredictCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--run", required = true, paramLabel = "KEY",
      description = "the run's key, or enough of its first characters to name one run")
  String run;

  @Option(names = "--out", paramLabel = "FILE.csv",
      description = "file to write (default: INPUT's name with .predictions.csv)")
  Path out;

  @Option(names = "--results", paramLabel = "FILE.sqlite",
      description = "the result store the run is in (default: $DNALAB_RESULTS, else "
          + "results.sqlite in the cache folder $DNALAB_CACHE or ~/.cache/dnalab)")
  Path results;

  @Option(names = "--batch-size", defaultValue = "0", paramLabel = "N",
      description = "sequences per forward pass (default: the run's own evaluation batch)")
  int batchSize;

  @Parameters(index = "0", paramLabel = "INPUT", description = "FASTA(.gz) or CSV/TSV(.gz)")
  Path input;

  @Override
  public Integer call() {
    if (batchSize < 0) {
      throw new CliErrors.UserError("--batch-size must be at least 1, got " + batchSize);
    }
    long start = System.nanoTime();
    SequencePredictions predictions = Dnalab.predict(run, input, batchSize,
        results != null ? results : Dnalab.defaultResultStore());
    Path target = out != null ? out : defaultOut(input);
    predictions.writeCsv(target);
    PrintWriter err = spec.commandLine().getErr();
    err.printf(Locale.ROOT, "wrote %s: %d sequences, %d classes, run %s, %.1f s%n", target,
        predictions.size(), predictions.classes().size(), predictions.runKey(),
        (System.nanoTime() - start) / 1e9);
    err.flush();
    return 0;
  }

  /** {@code seqs.fa.gz} -> {@code seqs.predictions.csv}, beside the input. */
  static Path defaultOut(Path input) {
    String name = input.getFileName().toString().replaceFirst("\\.gz$", "")
        .replaceFirst("\\.[^.]+$", "");
    return input.resolveSibling(name + ".predictions.csv");
  }
}
