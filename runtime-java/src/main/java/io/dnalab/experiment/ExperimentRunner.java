package io.dnalab.experiment;

import io.dnalab.data.DatasetCatalog;
import io.dnalab.data.LoadOptions;
import io.dnalab.data.SequenceTask;
import io.dnalab.result.RunResult;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.TaskSpec;
import io.dnalab.train.FineTuner;
import io.dnalab.train.TrainingListener;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs an {@link ExperimentSpec} in memory, keeping nothing: every cell of the grid with seeds
 * 1..n through the {@link Executor}, one {@link RunResult} per run in plan order. Each task is
 * loaded once. For runs that are recorded, reused and resumed use {@link ExperimentEngine}.
 *
 * <p>It fine-tunes from scratch with single-nucleotide ids; a spec that asks for another
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
    Executor executor = new Executor(taskLoader, TaskFingerprint::idOnly,
        FinetuneRunner.fromScratch(() -> fineTuner), PretrainRunner.UNAVAILABLE, null, null);
    return executor.execute(Planner.inMemory().plan(spec), new ExecutionListener() {
      @Override
      public void onStageEnd(Stage stage, double seconds, RunResult result) {
        if (result != null) {
          onResult.accept(result);
        }
      }

      @Override
      public TrainingListener training() {
        return listener;
      }
    });
  }
}
