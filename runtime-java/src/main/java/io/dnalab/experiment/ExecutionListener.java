package io.dnalab.experiment;

import io.dnalab.result.RunResult;
import io.dnalab.train.TrainingListener;

/**
 * What the {@link Executor} reports, on the thread that runs the stages: the plan, then each
 * stage as skipped (done before) or started and finished. Training progress inside a stage goes
 * to {@link #training()}.
 */
public interface ExecutionListener {
  ExecutionListener NONE = new ExecutionListener() {};

  /** Before any stage, after every cell was checked. */
  default void onPlan(Plan plan) {}

  /** A stage that was done before: nothing is computed. */
  default void onStageSkipped(Stage stage) {}

  default void onStageStart(Stage stage) {}

  /** @param result the run's result for a fine-tuning stage, null for other kinds */
  default void onStageEnd(Stage stage, double seconds, RunResult result) {}

  /** Where training steps and epochs of a running stage are reported. */
  default TrainingListener training() {
    return TrainingListener.NONE;
  }
}
