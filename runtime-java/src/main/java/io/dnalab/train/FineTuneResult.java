package io.dnalab.train;

import io.dnalab.metrics.MetricSet;
import java.util.List;

/**
 * What one fine-tuning run produced, with the parameters kept (best dev epoch) already scored.
 *
 * @param dev dev metrics of the kept parameters
 * @param test test metrics of the kept parameters
 * @param devHistory dev metrics after each epoch
 * @param bestEpoch the epoch (1-based) whose parameters were kept
 * @param epochsRun epochs actually trained (fewer than asked when stopped early)
 * @param steps optimizer steps taken
 * @param trainSeconds wall time of training and dev evaluation
 * @param wallSeconds wall time of the whole run, test evaluation included
 */
public record FineTuneResult(MetricSet dev, MetricSet test, List<MetricSet> devHistory,
    int bestEpoch, int epochsRun, long steps, long parameters, int trainExamples,
    double trainSeconds, double wallSeconds, String device) {

  public FineTuneResult {
    devHistory = List.copyOf(devHistory);
  }

  /** Optimizer steps per second of training wall time. */
  public double stepsPerSecond() {
    return steps / trainSeconds;
  }
}
