package io.dnalab.train;

import io.dnalab.result.MetricSet;
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
 * @param tokensSeen non-padding input tokens over all training steps (-1 when not counted)
 * @param flops analytic training FLOPs estimate ({@link Flops}; NaN when not estimated)
 */
public record FineTuneResult(MetricSet dev, MetricSet test, List<MetricSet> devHistory,
    int bestEpoch, int epochsRun, long steps, long parameters, int trainExamples,
    double trainSeconds, double wallSeconds, String device, long tokensSeen, double flops) {

  public FineTuneResult {
    devHistory = List.copyOf(devHistory);
  }

  /** A result whose cost in tokens and FLOPs was not counted. */
  public FineTuneResult(MetricSet dev, MetricSet test, List<MetricSet> devHistory,
      int bestEpoch, int epochsRun, long steps, long parameters, int trainExamples,
      double trainSeconds, double wallSeconds, String device) {
    this(dev, test, devHistory, bestEpoch, epochsRun, steps, parameters, trainExamples,
        trainSeconds, wallSeconds, device, -1, Double.NaN);
  }

  /** Optimizer steps per second of training wall time. */
  public double stepsPerSecond() {
    return steps / trainSeconds;
  }
}
