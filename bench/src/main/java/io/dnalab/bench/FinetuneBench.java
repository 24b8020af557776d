package io.dnalab.bench;

import ai.djl.Device;
import io.dnalab.data.DatasetCatalog;
import io.dnalab.data.LoadOptions;
import io.dnalab.data.PublishedResult;
import io.dnalab.data.SequenceTask;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.metrics.Spread;
import io.dnalab.model.ModelRegistry;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Recipe;
import io.dnalab.spec.TaskSpec;
import io.dnalab.train.FineTuneConfig;
import io.dnalab.train.FineTuneResult;
import io.dnalab.train.FineTuner;
import io.dnalab.train.LearningRateSchedule;
import io.dnalab.train.NucleotideEncoder;
import io.dnalab.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dnalab bench finetune}: ConvNova (Genomic Benchmarks configuration) and the Genomic
 * Benchmarks CNN trained from scratch on GUE promoter and transcription-factor tasks, several
 * seeds, on CPU; test MCC beside DNABERT-2's published number for the same task.
 *
 * <p>Two ways to train: {@code --recipe bench} (the default, kept so earlier tables can be
 * rerun) gives every model the same numbers from the command line ({@code --epochs},
 * {@code --batch-size}, {@code --lr}, cosine with 1% warm-up, dnalab 0.1's optimiser);
 * {@code --recipe published} trains each model with its family's published recipe
 * ({@code ModelFamily.defaultRecipe()} resolved for the task: ConvNova {@code convnova}, the CNN
 * {@code gb-cnn}), every number from the recipe.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
    description = "Fine-tune ConvNova and the CNN baseline from scratch on GUE tasks; test MCC "
        + "(mean ± sd over seeds) beside DNABERT-2's published MCC.")
public final class FinetuneBench implements Callable<Integer> {

  /** DNABERT-2 test MCC, GUE paper Table 4 (as listed in the shared datasets README). */
  /** DNABERT-2's published test MCC (× 100) on a GUE task; NaN where the paper has none. */
  static double dnabert2Mcc(String task) {
    return PublishedResult.dnabert2(task).map(PublishedResult::mcc).orElse(Double.NaN);
  }

  @Option(names = "--tasks", split = ",", description = "GUE tasks (default: ${DEFAULT-VALUE})",
      defaultValue = "prom_core_all,prom_core_tata,tf_0,tf_1,tf_2,tf_3,tf_4")
  List<String> tasks;

  @Option(names = "--models", split = ",", description = "convnova, cnn (default: ${DEFAULT-VALUE})",
      defaultValue = "convnova,cnn")
  List<String> models;

  @Option(names = "--seeds", defaultValue = "3", description = "seeds per cell (default: 3)")
  int seeds;

  /** How the models are trained: see the class comment. */
  enum RecipeChoice { bench, published }

  @Option(names = "--recipe", defaultValue = "bench",
      description = "bench: every model with --epochs/--batch-size/--lr; published: each model "
          + "with its family's published recipe (ConvNova: convnova, CNN: gb-cnn), all numbers "
          + "from the recipe (default: ${DEFAULT-VALUE})")
  RecipeChoice recipeChoice;

  /** Bench-mode defaults; null in a field below = the option was not given. */
  private static final int BENCH_EPOCHS = 10;
  private static final int BENCH_BATCH = 128;
  private static final double BENCH_LR = 1e-3;

  @Option(names = "--epochs",
      description = "--recipe bench only: epochs (ConvNova's GB protocol: 10; default: 10)")
  Integer epochs;

  @Option(names = "--max-train", defaultValue = "0",
      description = "train on at most this many examples per task, same subset for every run "
          + "(0 = all; default: ${DEFAULT-VALUE})")
  int maxTrain;

  @Option(names = "--batch-size", description = "--recipe bench only: ConvNova's GB global "
      + "batch is 4 GPUs × 32 = 128 (default: 128)")
  Integer batchSize;

  @Option(names = "--lr", description = "--recipe bench only: peak learning rate (default: 1e-3)")
  Double learningRate;

  @Option(names = "--threads", defaultValue = "0",
      description = "PyTorch intra-op threads (0 = PyTorch's default, one per core)")
  int threads;

  @Option(names = "--out", description = "also write the table (Markdown) to this file")
  Path out;

  @Override
  public Integer call() throws IOException {
    String data = System.getenv("DNALAB_DATA");
    if (data == null || data.isBlank()) {
      System.err.println("DNALAB_DATA is not set: point it at the folder holding gue/ "
          + "(on project machines ../shared/datasets)");
      return 2;
    }
    if (recipeChoice == RecipeChoice.published
        && (epochs != null || batchSize != null || learningRate != null)) {
      System.err.println("--recipe published takes epochs, batch and learning rate from each "
          + "model's recipe; leave out --epochs, --batch-size and --lr (or use --recipe bench)");
      return 2;
    }
    Device device = DnalabEngine.start(new DnalabEngine.Settings(threads, threads == 0 ? 0 : 1,
        DnalabEngine.DeviceChoice.CPU, null));
    DatasetCatalog catalog = DatasetCatalog.fromEnvironment();
    FineTuner tuner = new FineTuner(NucleotideEncoder.INSTANCE, device);
    PrintStream err = System.err;
    List<Row> rows = new ArrayList<>();
    long benchStart = System.nanoTime();
    for (String taskName : tasks) {
      TaskSpec taskSpec = new TaskSpec.Gue(taskName);
      SequenceTask task = catalog.load(taskSpec, LoadOptions.defaults().withOffline(true));
      for (String modelName : models) {
        ModelSpec spec = modelSpec(modelName);
        Recipe recipe = recipeChoice == RecipeChoice.published
            ? publishedRecipe(spec, taskSpec) : null;
        if (recipe != null) {
          err.printf(Locale.ROOT, "%-15s %-14s recipe %s%n", taskName, spec.id(),
              recipe.describe());
        }
        List<FineTuneResult> runs = new ArrayList<>();
        for (int seed = 1; seed <= seeds; seed++) {
          FineTuneConfig config = recipe != null
              ? FineTuneConfig.of(recipe, publishedRunSettings(), seed)
              : new FineTuneConfig(benchEpochs(), benchLearningRate(), benchBatchSize(), 0.1,
                  LearningRateSchedule.Kind.WARMUP_COSINE, 0.01, 0.1, 1.0, 0, "mcc", 512,
                  maxTrain, seed);
          FineTuneResult result = tuner.run(task, spec, config, progress(err));
          runs.add(result);
          err.printf(Locale.ROOT, "%-15s %-14s seed %d  test MCC %6.2f  dev MCC %6.2f  best epoch "
                  + "%d/%d  %6.1f s  %.1f steps/s  (%d train examples)%n", taskName, spec.id(), seed,
              100 * result.test().mcc(), 100 * result.dev().mcc(), result.bestEpoch(),
              result.epochsRun(), result.wallSeconds(), result.stepsPerSecond(),
              result.trainExamples());
        }
        rows.add(new Row(taskName, spec.id(), recipe, runs));
      }
    }
    double totalMinutes = (System.nanoTime() - benchStart) / 60e9;
    String table = table(rows, device, totalMinutes);
    System.out.println(table);
    if (out != null) {
      Files.writeString(out, table);
    }
    return 0;
  }

  /** One line per epoch on stderr, so a long bench shows where it is. */
  private static TrainingListener progress(PrintStream err) {
    return new TrainingListener() {
      private String label;
      private long start;

      @Override
      public void onRunStart(String runLabel, int epochs, long totalSteps, long parameters) {
        label = runLabel;
        start = System.nanoTime();
      }

      @Override
      public void onEpochEnd(int epoch, io.dnalab.result.MetricSet dev, boolean improved) {
        err.printf(Locale.ROOT, "  %s epoch %d: dev MCC %.2f%s (%.0f s)%n", label, epoch,
            100 * dev.mcc(), improved ? " *" : "", (System.nanoTime() - start) / 1e9);
      }
    };
  }

  /** The recipe {@code spec}'s family publishes, with its numbers for {@code task}. */
  static Recipe publishedRecipe(ModelSpec spec, TaskSpec task) {
    return FinetuneSpec.defaults().resolve(ModelRegistry.family(spec).defaultRecipe(), task);
  }

  /** A published-recipe run's own settings: the whole model, {@code --max-train} examples. */
  private FinetuneSpec publishedRunSettings() {
    return new FinetuneSpec(null, null, null, null, null, false, maxTrain);
  }

  private int benchEpochs() {
    return epochs != null ? epochs : BENCH_EPOCHS;
  }

  private int benchBatchSize() {
    return batchSize != null ? batchSize : BENCH_BATCH;
  }

  private double benchLearningRate() {
    return learningRate != null ? learningRate : BENCH_LR;
  }

  static ModelSpec modelSpec(String name) {
    return switch (name) {
      case "convnova" -> ModelSpec.ConvNova.genomicBenchmarks();
      case "cnn" -> new ModelSpec.CnnBaseline();
      default -> throw new IllegalArgumentException(
          "--models: unknown model \"" + name + "\"; known: convnova, cnn");
    };
  }

  /** One task × model: its runs, and the recipe they used (null: the bench flags). */
  record Row(String task, String model, Recipe recipe, List<FineTuneResult> runs) {
    /** Test MCC × 100 over the seeds. */
    Spread testMcc() {
      return Spread.of(runs.stream().mapToDouble(r -> 100 * r.test().mcc()).toArray());
    }
  }

  private String table(List<Row> rows, Device device, double totalMinutes) {
    boolean published = recipeChoice == RecipeChoice.published;
    StringBuilder sb = new StringBuilder();
    if (published) {
      sb.append(String.format(Locale.ROOT, "Fine-tuning from scratch with each family's "
              + "published recipe, %d seed(s), max train %s, %s; total %.1f min%n%n", seeds,
          maxTrain == 0 ? "all" : Integer.toString(maxTrain), DnalabEngine.describe(device),
          totalMinutes));
      sb.append("| task | model | recipe | parameters | test MCC (mean ± sd) | dev MCC "
          + "| kept epoch | wall s / run | steps/s | DNABERT-2 MCC | gap |\n");
      sb.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    } else {
      sb.append(String.format(Locale.ROOT, "Fine-tuning from scratch, %d seed(s), %d epoch(s), "
              + "batch %d, lr %.0e, max train %s, %s; total %.1f min%n%n", seeds, benchEpochs(),
          benchBatchSize(), benchLearningRate(),
          maxTrain == 0 ? "all" : Integer.toString(maxTrain), DnalabEngine.describe(device),
          totalMinutes));
      sb.append("| task | model | parameters | test MCC (mean ± sd) | dev MCC | wall s / run "
          + "| steps/s | DNABERT-2 MCC | gap |\n");
      sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    }
    Map<String, List<Double>> tfMeans = new LinkedHashMap<>();
    Map<String, Long> parameters = new LinkedHashMap<>();
    for (Row row : rows) {
      double dnabert2 = dnabert2Mcc(row.task());
      double devMean = row.runs().stream().mapToDouble(r -> 100 * r.dev().mcc()).average()
          .orElse(Double.NaN);
      double wall = row.runs().stream().mapToDouble(FineTuneResult::wallSeconds).average()
          .orElse(Double.NaN);
      double speed = row.runs().stream().mapToDouble(FineTuneResult::stepsPerSecond).average()
          .orElse(Double.NaN);
      if (published) {
        String keptEpochs = row.runs().stream().map(r -> r.bestEpoch() + "/" + r.epochsRun())
            .collect(java.util.stream.Collectors.joining(", "));
        sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %.2f ± %.2f | %.2f | %s "
                + "| %.0f | %.1f | %.2f | %+.2f |%n", row.task(), row.model(),
            row.recipe().describe(), row.runs().get(0).parameters(), row.testMcc().mean(),
            row.testMcc().sd(), devMean, keptEpochs, wall, speed, dnabert2,
            row.testMcc().mean() - dnabert2));
      } else {
        sb.append(String.format(Locale.ROOT, "| %s | %s | %,d | %.2f ± %.2f | %.2f | %.0f "
                + "| %.1f | %.2f | %+.2f |%n", row.task(), row.model(),
            row.runs().get(0).parameters(), row.testMcc().mean(), row.testMcc().sd(), devMean,
            wall, speed, dnabert2, row.testMcc().mean() - dnabert2));
      }
      if (row.task().startsWith("tf_")) {
        tfMeans.computeIfAbsent(row.model(), k -> new ArrayList<>()).add(row.testMcc().mean());
      }
      parameters.put(row.model(), row.runs().get(0).parameters());
    }
    double publishedTf = tasks.stream().filter(t -> t.startsWith("tf_"))
        .mapToDouble(FinetuneBench::dnabert2Mcc).average().orElse(Double.NaN);
    for (Map.Entry<String, List<Double>> entry : tfMeans.entrySet()) {
      double mean = entry.getValue().stream().mapToDouble(Double::doubleValue).average()
          .orElse(Double.NaN);
      // Published mode has two more columns: recipe (before parameters) and kept epoch.
      String format = published
          ? "| mean of %d tf tasks | %s | | | %.2f | | | | | %.2f | %+.2f |%n"
          : "| mean of %d tf tasks | %s | | %.2f | | | | %.2f | %+.2f |%n";
      sb.append(String.format(Locale.ROOT, format, entry.getValue().size(), entry.getKey(), mean,
          publishedTf, mean - publishedTf));
    }
    if (published) {
      sb.append(String.format(Locale.ROOT, "%nDNABERT-2 MCC: %s. kept epoch: the epoch whose "
          + "parameters were scored on test, per seed, out of the epochs run.%n",
          tasks.stream().map(t -> PublishedResult.dnabert2(t).map(PublishedResult::source))
              .flatMap(java.util.Optional::stream).distinct().findFirst()
              .orElse("no published number for these tasks")));
    }
    return sb.toString();
  }
}
