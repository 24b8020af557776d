package io.dnalab.train;

import io.dnalab.result.MetricSet;

/**
 * Progress of one fine-tuning or pretraining run, reported on the training thread. The terminal shows a
 * progress bar ({@link ProgressBarListener}); the notebook integration renders an updating line.
 * Keep implementations cheap: {@link #onStep} runs once per optimizer step.
 */
public interface TrainingListener {
  TrainingListener NONE = new TrainingListener() {};

  /** Before the first step. */
  default void onRunStart(String label, int epochs, long totalSteps, long parameters) {}

  /** After every optimizer step; {@code step} counts from 1. */
  default void onStep(int epoch, long step, long totalSteps, double loss, double learningRate) {}

  /** After each epoch's dev evaluation; {@code improved} when it became the kept parameters. */
  default void onEpochEnd(int epoch, MetricSet dev, boolean improved) {}

  /** After the test evaluation of the kept parameters. */
  default void onRunEnd(FineTuneResult result) {}

  // Pretraining: onRunStart(label, 1, steps, parameters) and onStep(1, step, steps, loss, lr)
  // as above, then these.

  /**
   * After a held-out evaluation at {@code step}: the mean training loss since the previous one,
   * the held-out metrics and the unigram baseline on the same positions.
   */
  default void onPretrainEvaluation(long step, double trainLoss, PretrainResult.Metrics heldOut,
      PretrainResult.Metrics baseline) {}

  /**
   * After a pretraining or fine-tuning run wrote its {@link TrainingState} (model, optimizer,
   * counters) at {@code step}.
   */
  default void onCheckpoint(long step, java.nio.file.Path file) {}

  /** When a pretraining run ends (or its finished checkpoint was found and reused). */
  default void onPretrainEnd(PretrainResult result) {}
}
