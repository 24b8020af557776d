package io.dnalab.train;

import io.dnalab.metrics.DegenerateRun;
import io.dnalab.result.MetricSet;
import io.dnalab.result.Predictions;
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
 * @param devPredictions per-example dev predictions of the kept parameters (null when not kept)
 * @param testPredictions per-example test predictions of the kept parameters (null when not kept)
 */
public record FineTuneResult(MetricSet dev, MetricSet test, List<MetricSet> devHistory,
    int bestEpoch, int epochsRun, long steps, long parameters, int trainExamples,
    double trainSeconds, double wallSeconds, String device, long tokensSeen, double flops,
    Predictions devPredictions, Predictions testPredictions) {

  public FineTuneResult {
    devHistory = List.copyOf(devHistory);
  }

  /** A result without per-example predictions. */
  public FineTuneResult(MetricSet dev, MetricSet test, List<MetricSet> devHistory,
      int bestEpoch, int epochsRun, long steps, long parameters, int trainExamples,
      double trainSeconds, double wallSeconds, String device, long tokensSeen, double flops) {
    this(dev, test, devHistory, bestEpoch, epochsRun, steps, parameters, trainExamples,
        trainSeconds, wallSeconds, device, tokensSeen, flops, null, null);
  }

  /** A result whose cost in tokens and FLOPs was not counted. */
  public FineTuneResult(MetricSet dev, MetricSet test, List<MetricSet> devHistory,
      int bestEpoch, int epochsRun, long steps, long parameters, int trainExamples,
      double trainSeconds, double wallSeconds, String device) {
    this(dev, test, devHistory, bestEpoch, epochsRun, steps, parameters, trainExamples,
        trainSeconds, wallSeconds, device, -1, Double.NaN);
  }

  /**
   * Why the run is degenerate ({@link DegenerateRun}: test predictions all one class, or dev MCC
   * at or below chance at every evaluation), null when it is not.
   */
  public String degenerate() {
    return DegenerateRun.reason(devHistory, testPredictions);
  }

  /** Optimizer steps per second of training wall time. */
  public double stepsPerSecond() {
    return steps / trainSeconds;
  }
}
