package io.dnalab.cli;

import ai.djl.Device;
import io.dnalab.data.DataFormatException;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.engine.VisibleGpus;
import io.dnalab.experiment.CellParameters;
import io.dnalab.experiment.ExecutionListener;
import io.dnalab.experiment.ExperimentEngine;
import io.dnalab.experiment.LocalPretrainRunner;
import io.dnalab.experiment.Plan;
import io.dnalab.experiment.Stage;
import io.dnalab.experiment.WorkerPool;
import io.dnalab.result.RunResult;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.SpecException;
import io.dnalab.spec.SpecJson;
import io.dnalab.store.ResultStore;
import io.dnalab.train.ProgressBarListener;
import io.dnalab.train.TrainingListener;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dnalab run SPEC.json [--results FILE] [--out results.csv] [--plan]}: an experiment from
 * its JSON spec, through the experiment engine: finished runs in the result store are skipped (a
 * line {@code skip ...} each), the others run one after another and are recorded as they finish.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run an experiment from its JSON spec (the DSL prints one with toJson()): "
        + "plans every cell and seed, skips runs already in the result store, runs the rest one "
        + "after another, records each as it finishes; prints a line per run and can write a CSV.")
public final class RunCommand implements Callable<Integer> {
  /** The command line this runs in: the plan is printed to its output stream. */
  @Spec
  CommandSpec commandSpec;


  @Parameters(index = "0", paramLabel = "SPEC.json", description = "the experiment spec")
  Path spec;

  @Option(names = "--out", paramLabel = "FILE.csv", description = "write one row per run here")
  Path out;

  @Option(names = "--results", paramLabel = "FILE.sqlite",
      description = "the result store (default: $DNALAB_RESULTS, else results.sqlite in the "
          + "cache folder $DNALAB_CACHE or ~/.cache/dnalab)")
  Path results;

  @Option(names = "--plan", description = "print the plan (stages, done, time left) and stop")
  boolean planOnly;

  @Option(names = "--threads", defaultValue = "0",
      description = "PyTorch intra-op threads (default: $DNALAB_THREADS, else one per core)")
  int threads;

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu")
  String device;

  @Option(names = "--quiet", description = "no progress bar")
  boolean quiet;

  @Option(names = "--jobs", paramLabel = "N", arity = "0..1", fallbackValue = "auto",
      description = "run independent stages at once in N worker processes, the cores split "
          + "between them (DNALAB_THREADS = cores / N) and, with a CUDA build on a machine with "
          + "GPUs, each on one GPU (CUDA_VISIBLE_DEVICES, round-robin); --jobs alone or auto: one "
          + "per GPU where there are GPUs, else one per core, at most 8; without it: one per GPU "
          + "where there are several, else 1, in this process")
  String jobs;

  @Option(names = "--stage", paramLabel = "KEY",
      description = "run exactly this stage of the plan (its key, or a unique prefix of 12+ "
          + "digits, as --plan prints) and publish its output into the artifact store; the "
          + "result store is not written (the way a worker or a cluster job runs a stage)")
  String stage;

  @Override
  public Integer call() throws Exception {
    // A malformed spec names the file, line and column itself; CliErrors prints it.
    ExperimentSpec experiment = SpecJson.read(spec);
    // A worker (--stage) or a plan runs no stage beside another: no GPUs to look for.
    VisibleGpus gpus = stage != null || planOnly ? VisibleGpus.NONE
        : WorkerPool.workerGpus(DnalabEngine.DeviceChoice.parse(device)
            == DnalabEngine.DeviceChoice.CPU);
    int workers = parseJobs(jobs, gpus);
    if (stage != null && workers > 1) {
      throw new CliErrors.UserError("--stage runs one stage; it takes no --jobs (got --jobs "
          + jobs + ")");
    }
    // Without --threads, DNALAB_THREADS decides (PyTorch's default when that is unset too). The
    // engine starts with the first run that trains: a finished experiment never starts it.
    int intraOp = threads > 0 ? threads : DnalabEngine.Settings.fromEnvironment().intraOpThreads();
    DnalabEngine.Settings settings = new DnalabEngine.Settings(intraOp, intraOp == 0 ? 0 : 1,
        DnalabEngine.DeviceChoice.parse(device), null);
    // A worker keeps a private store of its own: it never writes the shared SQLite file (which
    // may sit on a network file system); the run it finishes is published as a result file.
    Path privateStore = stage == null ? null
        : java.nio.file.Files.createTempFile("dnalab-worker-", ".sqlite");
    Path storeFile = privateStore != null ? privateStore
        : results != null ? results : ResultStore.defaultLocation();
    try {
      return run(experiment, settings, storeFile, workers, gpus);
    } finally {
      if (privateStore != null) {
        for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
          java.nio.file.Files.deleteIfExists(Path.of(privateStore + suffix));
        }
      }
    }
  }

  private Integer run(ExperimentSpec experiment, DnalabEngine.Settings settings, Path storeFile,
      int workers, VisibleGpus gpus) throws java.io.IOException {
    // Set when the first stage that trains starts the engine; each `done` line names it, so a
    // CUDA build that fell back to the CPU shows on the first finished stage.
    AtomicReference<Device> engineDevice = new AtomicReference<>();
    try (ExperimentEngine engine = ExperimentEngine.withDevice(
        () -> {
          engineDevice.set(startEngine(settings));
          return engineDevice.get();
        }, ResultStore.open(storeFile))) {
      Plan plan;
      try {
        plan = engine.plan(experiment);
      } catch (SpecException | DataFormatException e) {
        // A field or a task of the spec that cannot run (a misspelt genome, an unknown task):
        // the message names the field and value, this names the file they are in.
        throw new CliErrors.UserError(spec + ": " + e.getMessage(), e);
      }
      if (stage != null) {
        plan = new Plan(experiment, List.of(stageOf(plan)));
      } else {
        System.err.printf(Locale.ROOT, "%s: %d cells × %d seeds = %d runs; %s; results in %s%n",
            experiment.name(), experiment.cells().size(), experiment.seeds(),
            experiment.runCount(), plan.summary(), storeFile);
      }
      if (planOnly) {
        Map<String, String> leakage = LocalPretrainRunner.leakageLines(engine.artifacts(), plan);
        java.io.PrintWriter planOut = commandSpec.commandLine().getOut();
        for (Stage stage : plan.stages()) {
          planOut.printf(Locale.ROOT, "%-5s %-10s %s  %s%s%n", stage.status(),
              stage.kind().artifactKind(), stage.shortKey(), stage.label(),
              stage.isStale() ? " (stale: " + stage.stale() + ")" : "");
          if (leakage.containsKey(stage.key())) {
            planOut.println("      " + leakage.get(stage.key()));
          }
        }
        // Each cell's recipe (every number of it is in the fine-tuning key) and model size.
        for (String line : plan.cellLines(CellParameters::count)) {
          planOut.println("cell  " + line);
        }
        planOut.flush();
        return 0;
      }
      // A worker's output is read line by line by its parent: no progress bar, a line per epoch.
      TrainingListener progress = quiet ? TrainingListener.NONE
          : stage != null ? epochLines() : new ProgressBarListener(System.err);
      ExecutionListener listener = new ExecutionListener() {
        @Override
        public void onStageSkipped(Stage stage) {
          System.out.printf(Locale.ROOT, "skip  %s  (done, %s)%n", stage.label(),
              stage.shortKey());
        }

        @Override
        public void onStageStart(Stage stage) {
          System.err.printf(Locale.ROOT, "start %s: %s (%s)%n", stage.kind().title(),
              stage.label(), stage.shortKey());
        }

        @Override
        public void onStageEnd(Stage stage, double seconds, RunResult result) {
          if (result == null) {
            // Tokenizers train in Java; pretraining runs on the engine's device.
            Device device = engineDevice.get();
            String where = stage.kind() == Stage.Kind.TOKENIZER || device == null ? "the JVM"
                : DnalabEngine.describe(device);
            System.out.printf(Locale.ROOT, "done  %s: %s in %.1f s  on %s%n", stage.kind().title(),
                stage.label(), seconds, where);
            return;
          }
          // The device the run recorded itself, e.g. "PyTorch 2.5.1 cpu(); 2 intra-op threads".
          System.out.printf(Locale.ROOT, "done  %-24s %-18s seed %d  test MCC %.4f  acc %.4f"
                  + "  AUROC %.4f  dev MCC %.4f  %,d params  %.1f s  on %s  (%s)%n", result.task(),
              result.model(), result.seed(), result.test().mcc(), result.test().accuracy(),
              result.test().auroc(), result.dev().mcc(), result.parameters(),
              result.wallSeconds(), result.device(), stage.shortKey());
        }

        @Override
        public TrainingListener training() {
          return progress;
        }
      };
      List<RunResult> runs;
      if (workers > 1) {
        System.err.printf(Locale.ROOT, "%d workers, %d intra-op thread%s each%n", workers,
            WorkerPool.threadsPerWorker(workers),
            WorkerPool.threadsPerWorker(workers) == 1 ? "" : "s");
        if (!gpus.isEmpty()) {
          System.err.printf(Locale.ROOT, "%d GPU%s (%s): %s; one per worker, round-robin%n",
              gpus.count(), gpus.count() == 1 ? "" : "s", gpus.source(),
              String.join(",", gpus.ids()));
        }
        try {
          runs = WorkerPool.run(engine, plan, workers, gpus.ids(), workerEnvironment(settings),
              listener, System.out);
        } catch (WorkerPool.WorkerFailure e) {
          throw new CliErrors.UserError(e.getMessage(), e);
        }
      } else if (stage != null) {
        runs = engine.executeAsWorker(plan, listener);
      } else {
        runs = engine.execute(plan, listener);
      }
      if (out != null) {
        RunResult.writeCsv(runs, out);
        System.err.println("wrote " + runs.size() + " rows to " + out);
      }
    }
    return 0;
  }

  /**
   * {@code null}: one per GPU where there are several, else 1 (in this process);
   * {@code auto}: one per GPU where there are any, else {@link WorkerPool#defaultJobs()}.
   */
  private static int parseJobs(String value, VisibleGpus gpus) {
    if (value == null) {
      return WorkerPool.defaultJobs(gpus);
    }
    if (value.equals("auto")) {
      return gpus.isEmpty() ? WorkerPool.defaultJobs() : gpus.count();
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new CliErrors.UserError("--jobs must be a whole number >= 1 or auto, got \"" + value
        + "\"");
  }

  /** The stage --stage names: its full key or a unique prefix of at least 12 digits. */
  private Stage stageOf(Plan plan) {
    List<Stage> matches = plan.stages().stream()
        .filter(s -> stage.length() >= 12 && s.key().startsWith(stage)).toList();
    if (matches.size() != 1) {
      throw new CliErrors.UserError(spec + ": " + (matches.isEmpty() ? "no stage has the key "
          : "more than one stage starts with ") + stage + " (bin/dnalab run " + spec
          + " --plan lists the keys" + (stage.length() < 12 ? "; give at least 12 digits" : "")
          + ")");
    }
    return matches.get(0);
  }

  /** What a worker inherits beyond this process's environment: the stores and the device. */
  private Map<String, String> workerEnvironment(DnalabEngine.Settings settings) {
    Map<String, String> environment = new HashMap<>();
    environment.put("DNALAB_CACHE", ResultStore.cacheDir().toAbsolutePath().toString());
    environment.put("DNALAB_DEVICE", settings.device().name().toLowerCase(Locale.ROOT));
    return environment;
  }

  /** A line per run start and per epoch: what a worker prints for its parent to relay. */
  private static TrainingListener epochLines() {
    return new TrainingListener() {
      @Override
      public void onRunStart(String label, int epochs, long totalSteps, long parameters) {
        System.err.printf(Locale.ROOT, "training %s: %d epochs, %,d steps, %,d parameters%n",
            label, epochs, totalSteps, parameters);
      }

      @Override
      public void onEpochEnd(int epoch, io.dnalab.result.MetricSet dev, boolean improved) {
        System.err.printf(Locale.ROOT, "epoch %d: dev MCC %.4f%s%n", epoch, dev.mcc(),
            improved ? " (best so far)" : "");
      }
    };
  }

  /**
   * The engine starts once per process here, so its refusals are about this machine and the
   * flags (--device gpu without a usable GPU), not bugs: the user's to fix.
   */
  private static Device startEngine(DnalabEngine.Settings settings) {
    try {
      return DnalabEngine.start(settings);
    } catch (IllegalStateException e) {
      throw new CliErrors.UserError(e.getMessage(), e);
    }
  }
}
