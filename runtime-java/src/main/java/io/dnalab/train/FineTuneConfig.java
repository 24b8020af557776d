package io.dnalab.train;

import io.dnalab.result.MetricSet;
import io.dnalab.spec.FinetuneSpec;

/**
 * Everything that decides a fine-tuning run's numbers. Defaults are ConvNova's published recipe
 * (AdamW, lr 1e-3, weight decay 0.1, 1% warm-up, cosine to 0.1·lr, clip 1.0), shortened epochs.
 *
 * @param epochs passes over the training split (an upper bound with early stopping)
 * @param learningRate the peak learning rate
 * @param batchSize examples per optimizer step
 * @param weightDecay AdamW's decoupled decay, applied to convolution and linear weights only
 *     (not to biases, norms or embeddings, as the HyenaDNA/ConvNova training code groups them)
 * @param schedule shape of the learning-rate schedule
 * @param warmupFraction fraction of all steps spent warming up (WARMUP_COSINE); one-cycle's
 *     rising fraction (ONE_CYCLE)
 * @param minLearningRateFraction the cosine floor as a fraction of the peak
 * @param gradientClipNorm the global L2 norm gradients are scaled down to (0 = no clipping)
 * @param patience stop after this many epochs without a better dev score (0 = never stop early)
 * @param selectionMetric the dev metric that picks the kept parameters (higher is better)
 * @param evalBatchSize examples per batch when evaluating
 * @param maxTrainExamples use at most this many training examples, the same subset for every
 *     seed and model (0 = all)
 * @param seed seeds parameter initialisation and shuffling
 * @param freezeEncoder train the classification head only: the encoder (random or loaded from a
 *     checkpoint) takes no gradient, is not updated and runs as at inference (a probe)
 */
public record FineTuneConfig(int epochs, double learningRate, int batchSize, double weightDecay,
    LearningRateSchedule.Kind schedule, double warmupFraction, double minLearningRateFraction,
    double gradientClipNorm, int patience, String selectionMetric, int evalBatchSize,
    int maxTrainExamples, long seed, boolean freezeEncoder) {

  /** A configuration that trains the whole model. */
  public FineTuneConfig(int epochs, double learningRate, int batchSize, double weightDecay,
      LearningRateSchedule.Kind schedule, double warmupFraction, double minLearningRateFraction,
      double gradientClipNorm, int patience, String selectionMetric, int evalBatchSize,
      int maxTrainExamples, long seed) {
    this(epochs, learningRate, batchSize, weightDecay, schedule, warmupFraction,
        minLearningRateFraction, gradientClipNorm, patience, selectionMetric, evalBatchSize,
        maxTrainExamples, seed, false);
  }

  public FineTuneConfig {
    if (epochs < 1 || batchSize < 1 || evalBatchSize < 1) {
      throw new IllegalArgumentException("epochs, batchSize and evalBatchSize must be >= 1, got "
          + epochs + ", " + batchSize + ", " + evalBatchSize);
    }
    if (!(learningRate > 0) || weightDecay < 0 || gradientClipNorm < 0 || patience < 0
        || maxTrainExamples < 0 || warmupFraction < 0 || warmupFraction >= 1) {
      throw new IllegalArgumentException("invalid fine-tuning configuration: lr " + learningRate
          + ", weightDecay " + weightDecay + ", clip " + gradientClipNorm + ", patience "
          + patience + ", maxTrain " + maxTrainExamples + ", warmup " + warmupFraction);
    }
    if (!MetricSet.SCORES.contains(selectionMetric)) {
      throw new IllegalArgumentException("selectionMetric must be one of "
          + String.join(", ", MetricSet.SCORES) + " (higher is better), got \"" + selectionMetric
          + "\"");
    }
  }

  /** The spec's budget with the published recipe for everything else. */
  public static FineTuneConfig of(FinetuneSpec spec, long seed) {
    return new FineTuneConfig(spec.epochs(), spec.learningRate(), spec.batchSize(),
        spec.weightDecay(), LearningRateSchedule.Kind.WARMUP_COSINE, 0.01, 0.1, 1.0, 0, "mcc",
        256, spec.maxTrainExamples(), seed, spec.freezeEncoder());
  }

  public FineTuneConfig withSeed(long value) {
    return new FineTuneConfig(epochs, learningRate, batchSize, weightDecay, schedule,
        warmupFraction, minLearningRateFraction, gradientClipNorm, patience, selectionMetric,
        evalBatchSize, maxTrainExamples, value, freezeEncoder);
  }

  public FineTuneConfig withEpochs(int value) {
    return new FineTuneConfig(value, learningRate, batchSize, weightDecay, schedule,
        warmupFraction, minLearningRateFraction, gradientClipNorm, patience, selectionMetric,
        evalBatchSize, maxTrainExamples, seed, freezeEncoder);
  }

  public FineTuneConfig withMaxTrainExamples(int value) {
    return new FineTuneConfig(epochs, learningRate, batchSize, weightDecay, schedule,
        warmupFraction, minLearningRateFraction, gradientClipNorm, patience, selectionMetric,
        evalBatchSize, value, seed, freezeEncoder);
  }

  public FineTuneConfig withSchedule(LearningRateSchedule.Kind value) {
    return new FineTuneConfig(epochs, learningRate, batchSize, weightDecay, value,
        warmupFraction, minLearningRateFraction, gradientClipNorm, patience, selectionMetric,
        evalBatchSize, maxTrainExamples, seed, freezeEncoder);
  }

  public FineTuneConfig withPatience(int value) {
    return new FineTuneConfig(epochs, learningRate, batchSize, weightDecay, schedule,
        warmupFraction, minLearningRateFraction, gradientClipNorm, value, selectionMetric,
        evalBatchSize, maxTrainExamples, seed, freezeEncoder);
  }

  public FineTuneConfig withFreezeEncoder(boolean value) {
    return new FineTuneConfig(epochs, learningRate, batchSize, weightDecay, schedule,
        warmupFraction, minLearningRateFraction, gradientClipNorm, patience, selectionMetric,
        evalBatchSize, maxTrainExamples, seed, value);
  }

  /** The schedule for a run of {@code totalSteps} optimizer steps. */
  public LearningRateSchedule scheduleFor(long totalSteps) {
    return switch (schedule) {
      case WARMUP_COSINE -> LearningRateSchedule.warmupCosine(learningRate,
          Math.max(1, Math.round(warmupFraction * totalSteps)), totalSteps,
          minLearningRateFraction);
      case ONE_CYCLE -> LearningRateSchedule.oneCycle(learningRate, totalSteps,
          warmupFraction > 0 ? warmupFraction : 0.3);
      case CONSTANT -> LearningRateSchedule.constant(learningRate);
    };
  }
}
