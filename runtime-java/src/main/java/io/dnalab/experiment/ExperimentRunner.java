package io.dnalab.experiment;

import io.dnalab.data.DatasetCatalog;
import io.dnalab.data.LoadOptions;
import io.dnalab.data.SequenceTask;
import io.dnalab.train.FineTuneConfig;
import io.dnalab.train.FineTuneResult;
import io.dnalab.train.FineTuner;
import io.dnalab.train.TrainingListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs an {@link ExperimentSpec} on this machine, one run after another: every cell of the grid
 * (task × tokenizer × model × pretraining) with seeds 1..n, and returns one {@link RunResult} per
 * run in that order. Each task is loaded once.
 *
 * <p>For now it fine-tunes from scratch with single-nucleotide ids; a spec that asks for another
 * tokenizer or for pretraining is refused up front, naming the field, before any run starts.
 */
public final class ExperimentRunner {
  private final Function<TaskSpec, SequenceTask> taskLoader;
  private final FineTuner fineTuner;
  private final TrainingListener listener;
  private final Consumer<RunResult> onResult;

  public ExperimentRunner(Function<TaskSpec, SequenceTask> taskLoader, FineTuner fineTuner,
      TrainingListener listener, Consumer<RunResult> onResult) {
    this.taskLoader = taskLoader;
    this.fineTuner = fineTuner;
    this.listener = listener;
    this.onResult = onResult;
  }

  /** Tasks from {@link DatasetCatalog#fromEnvironment()}, the engine's default device. */
  public static ExperimentRunner fromEnvironment(TrainingListener listener,
      Consumer<RunResult> onResult) {
    DatasetCatalog catalog = DatasetCatalog.fromEnvironment();
    return new ExperimentRunner(task -> catalog.load(task, LoadOptions.defaults()),
        FineTuner.nucleotide(), listener, onResult);
  }

  public List<RunResult> run(ExperimentSpec spec) {
    checkSupported(spec);
    Map<TaskSpec, SequenceTask> tasks = new HashMap<>();
    List<RunResult> results = new ArrayList<>(spec.runCount());
    for (ExperimentSpec.Cell cell : spec.cells()) {
      SequenceTask task = tasks.computeIfAbsent(cell.task(), taskLoader);
      for (int seed = 1; seed <= spec.seeds(); seed++) {
        FineTuneConfig config = FineTuneConfig.of(spec.finetune(), seed);
        FineTuneResult run = fineTuner.run(task, cell.model(), config, listener);
        RunResult result = new RunResult(spec.name(), cell.task().id(), cell.tokenizer().id(),
            cell.model().id(), cell.pretrain().id(), seed, run.dev(), run.test(),
            run.parameters(), run.wallSeconds(), run.epochsRun(), run.steps(), run.bestEpoch(),
            run.device(), run.tokensSeen(), run.flops());
        results.add(result);
        onResult.accept(result);
      }
    }
    return List.copyOf(results);
  }

  private static void checkSupported(ExperimentSpec spec) {
    for (TokenizerSpec tokenizer : spec.tokenizers()) {
      if (!(tokenizer instanceof TokenizerSpec.Nucleotide)) {
        throw new SpecException("tokenizer", "fine-tuning runs single-nucleotide models for "
            + "now; " + tokenizer.id() + " is not supported yet (use nucleotide)");
      }
    }
    for (PretrainSpec pretrain : spec.pretraining()) {
      if (!(pretrain instanceof PretrainSpec.None)) {
        throw new SpecException("pretrain", "only training from scratch (none) is supported "
            + "yet, got " + pretrain.id());
      }
    }
    for (ModelSpec model : spec.models()) {
      if (model instanceof ModelSpec.Bert) {
        throw new SpecException("model", model.id() + " needs pretraining support, which is not "
            + "built yet; from-scratch models: convnova, unet, cnn");
      }
    }
  }
}
