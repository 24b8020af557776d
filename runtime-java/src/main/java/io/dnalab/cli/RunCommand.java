package io.dnalab.cli;

import io.dnalab.engine.DnalabEngine;
import io.dnalab.experiment.ExperimentRunner;
import io.dnalab.experiment.ExperimentSpec;
import io.dnalab.experiment.RunResult;
import io.dnalab.experiment.SpecJson;
import io.dnalab.train.ProgressBarListener;
import io.dnalab.train.TrainingListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dnalab run SPEC.json [--out results.csv]}: an experiment from its JSON spec. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run an experiment from its JSON spec (the DSL prints one with toJson()): "
        + "every cell and seed, one after another; prints a line per run and writes a CSV.")
public final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "SPEC.json", description = "the experiment spec")
  Path spec;

  @Option(names = "--out", paramLabel = "FILE.csv", description = "write one row per run here")
  Path out;

  @Option(names = "--threads", defaultValue = "0",
      description = "PyTorch intra-op threads (default: $DNALAB_THREADS, else one per core)")
  int threads;

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu")
  String device;

  @Option(names = "--quiet", description = "no progress bar")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    ExperimentSpec experiment;
    try {
      experiment = SpecJson.read(spec);
    } catch (IllegalArgumentException e) {
      System.err.println("dnalab run: " + e.getMessage());
      return 2;
    }
    // Without --threads, DNALAB_THREADS decides (PyTorch's default when that is unset too).
    int intraOp = threads > 0 ? threads : DnalabEngine.Settings.fromEnvironment().intraOpThreads();
    DnalabEngine.start(new DnalabEngine.Settings(intraOp, intraOp == 0 ? 0 : 1,
        DnalabEngine.DeviceChoice.parse(device), null));
    System.err.printf(Locale.ROOT, "%s: %d cells × %d seeds = %d runs%n", experiment.name(),
        experiment.cells().size(), experiment.seeds(), experiment.runCount());
    TrainingListener listener = quiet ? TrainingListener.NONE : new ProgressBarListener(System.err);
    ExperimentRunner runner = ExperimentRunner.fromEnvironment(listener, result ->
        System.out.printf(Locale.ROOT, "%-24s %-18s seed %d  test MCC %.4f  acc %.4f  AUROC %.4f"
                + "  dev MCC %.4f  %,d params  %.1f s%n", result.task(), result.model(),
            result.seed(), result.test().mcc(), result.test().accuracy(), result.test().auroc(),
            result.dev().mcc(), result.parameters(), result.wallSeconds()));
    List<RunResult> results = runner.run(experiment);
    if (out != null) {
      RunResult.writeCsv(results, out);
      System.err.println("wrote " + results.size() + " rows to " + out);
    }
    return 0;
  }
}
