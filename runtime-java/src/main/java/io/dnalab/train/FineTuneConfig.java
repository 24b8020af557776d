package io.dnalab.train;

import io.dnalab.result.MetricSet;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.Recipe;
import io.dnalab.spec.Recipes;

/**
 * Everything that decides a fine-tuning run's numbers: a resolved {@link Recipe} ({@link #of})
 * and the run's own settings. The long constructor without optimiser fields is dnalab 0.1's
 * fine-tuning ({@link Recipes#dnalab01()}): DJL's AdamW rule, betas 0.9 / 0.999, eps 1e-8, decay
 * on convolution and linear weights, the best dev epoch by a metric.
 *
 * @param epochs passes over the training split (an upper bound with early stopping)
 * @param learningRate the peak learning rate
 * @param batchSize examples per optimizer step
 * @param weightDecay decoupled weight decay, applied to the parameters {@link #decayApplies}
 *     names (ConvNova's configs set no grouping: every parameter decays)
 * @param schedule shape of the learning-rate schedule
 * @param warmupFraction fraction of all steps spent warming up (WARMUP_COSINE); one-cycle's
 *     rising fraction (ONE_CYCLE)
 * @param minLearningRateFraction the cosine floor as a fraction of the peak
 * @param gradientClipNorm the global L2 norm gradients are scaled down to (0 = no clipping)
 * @param patience stop after this many evaluations without a better dev score (0 = never stop
 *     early)
 * @param selectionMetric the dev metric that picks the kept parameters (higher is better) under
 *     {@link Recipe.Selection.Kind#BEST_DEV_METRIC}
 * @param evalBatchSize examples per batch when evaluating
 * @param maxTrainExamples use at most this many training examples, the same subset for every
 *     seed and model (0 = all)
 * @param seed seeds parameter initialisation and shuffling
 * @param freezeEncoder train the classification head only: the encoder (random or loaded from a
 *     checkpoint) takes no gradient, is not updated and runs as at inference (a probe)
 * @param rule the Adam update rule: {@link AdamWOptimizer.Rule#TORCH} for the published recipes
 *     (torch's AdamW and Adam), {@link AdamWOptimizer.Rule#DJL} for dnalab 0.1's numbers
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param epsilon Adam's epsilon
 * @param decayApplies which parameters weight decay applies to
 * @param warmupSteps warm-up steps of a LINEAR_DECAY schedule
 * @param selection which parameters are kept and scored on test
 * @param evalEverySteps evaluate on dev every this many optimizer steps and after the last one;
 *     0 = after each epoch
 * @param maxTokens the recipe's token cap ({@link Recipe#maxTokens()}, DNABERT-2's
 *     {@code model_max_length}): a BPE cell's sequences are cut to at most this many ids,
 *     {@code [CLS]} and {@code [SEP]} included ({@link SequenceEncoder#capped}); 0 = no cap
 */
public record FineTuneConfig(int epochs, double learningRate, int batchSize, double weightDecay,
    LearningRateSchedule.Kind schedule, double warmupFraction, double minLearningRateFraction,
    double gradientClipNorm, int patience, String selectionMetric, int evalBatchSize,
    int maxTrainExamples, long seed, boolean freezeEncoder, AdamWOptimizer.Rule rule,
    double beta1, double beta2, double epsilon, Recipe.DecayApplies decayApplies,
    int warmupSteps, Recipe.Selection.Kind selection, int evalEverySteps, int maxTokens) {

  /** A configuration without a token cap. */
  public FineTuneConfig(int epochs, double learningRate, int batchSize, double weightDecay,
      LearningRateSchedule.Kind schedule, double warmupFraction, double minLearningRateFraction,
      double gradientClipNorm, int patience, String selectionMetric, int evalBatchSize,
      int maxTrainExamples, long seed, boolean freezeEncoder, AdamWOptimizer.Rule rule,
      double beta1, double beta2, double epsilon, Recipe.DecayApplies decayApplies,
      int warmupSteps, Recipe.Selection.Kind selection, int evalEverySteps) {
    this(epochs, learningRate, batchSize, weightDecay, schedule, warmupFraction,
        minLearningRateFraction, gradientClipNorm, patience, selectionMetric, evalBatchSize,
        maxTrainExamples, seed, freezeEncoder, rule, beta1, beta2, epsilon, decayApplies,
        warmupSteps, selection, evalEverySteps, 0);
  }

  /** dnalab 0.1's fine-tuning with these numbers (see the class comment). */
  public FineTuneConfig(int epochs, double learningRate, int batchSize, double weightDecay,
      LearningRateSchedule.Kind schedule, double warmupFraction, double minLearningRateFraction,
      double gradientClipNorm, int patience, String selectionMetric, int evalBatchSize,
      int maxTrainExamples, long seed, boolean freezeEncoder) {
    this(epochs, learningRate, batchSize, weightDecay, schedule, warmupFraction,
        minLearningRateFraction, gradientClipNorm, patience, selectionMetric, evalBatchSize,
        maxTrainExamples, seed, freezeEncoder, AdamWOptimizer.Rule.DJL, 0.9, 0.999, 1e-8,
        Recipe.DecayApplies.MATRIX_WEIGHTS, 0, Recipe.Selection.Kind.BEST_DEV_METRIC, 0, 0);
  }

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
        || maxTrainExamples < 0 || warmupFraction < 0 || warmupFraction >= 1 || warmupSteps < 0
        || evalEverySteps < 0 || maxTokens < 0) {
      throw new IllegalArgumentException("invalid fine-tuning configuration: lr " + learningRate
          + ", weightDecay " + weightDecay + ", clip " + gradientClipNorm + ", patience "
          + patience + ", maxTrain " + maxTrainExamples + ", warmup " + warmupFraction
          + " / " + warmupSteps + " steps, evalEverySteps " + evalEverySteps + ", maxTokens "
          + maxTokens);
    }
    if (!MetricSet.SCORES.contains(selectionMetric)) {
      throw new IllegalArgumentException("selectionMetric must be one of "
          + String.join(", ", MetricSet.SCORES) + " (higher is better), got \"" + selectionMetric
          + "\"");
    }
    if (rule == null || decayApplies == null || selection == null) {
      throw new IllegalArgumentException("rule, decayApplies and selection are required");
    }
  }

  /**
   * A run of {@code recipe} (resolved for its task: {@link FinetuneSpec#resolve}) with the
   * spec's run settings (frozen encoder, training subset).
   */
  public static FineTuneConfig of(Recipe recipe, FinetuneSpec spec, long seed) {
    Recipe.Schedule schedule = recipe.schedule();
    LearningRateSchedule.Kind kind = switch (schedule.kind()) {
      case WARMUP_COSINE -> LearningRateSchedule.Kind.WARMUP_COSINE;
      case LINEAR_DECAY -> LearningRateSchedule.Kind.LINEAR_DECAY;
      case CONSTANT -> LearningRateSchedule.Kind.CONSTANT;
    };
    Recipe.Selection selection = recipe.selection();
    String metric = selection.kind() == Recipe.Selection.Kind.BEST_DEV_METRIC
        ? selection.metric() : "mcc";
    AdamWOptimizer.Rule rule = recipe.optimizer() == Recipe.Optimizer.ADAMW_DJL
        ? AdamWOptimizer.Rule.DJL : AdamWOptimizer.Rule.TORCH;
    return new FineTuneConfig(recipe.epochs(), recipe.learningRate(), recipe.batchSize(),
        recipe.weightDecay(), kind, schedule.warmupFraction(), schedule.floorFraction(),
        recipe.clipNorm(), 0, metric, 256, spec.maxTrainExamples(), seed, spec.freezeEncoder(),
        rule, recipe.beta1(), recipe.beta2(), recipe.epsilon(), recipe.decayApplies(),
        schedule.warmupSteps(), selection.kind(), selection.everySteps(), recipe.maxTokens());
  }

  /**
   * The spec's recipe, or dnalab 0.1's ({@link Recipes#dnalab01()}) when it names none, with
   * its overrides and without per-task numbers: for callers that have no cell (tests, benches).
   * Experiments resolve per cell ({@link FinetuneSpec#resolve}).
   */
  public static FineTuneConfig of(FinetuneSpec spec, long seed) {
    Recipe base = spec.recipe() != null ? spec.recipe() : Recipes.dnalab01();
    return of(base.withTaskRules(java.util.List.of()).overridden(spec.epochs(),
        spec.learningRate(), spec.batchSize(), spec.weightDecay()), spec, seed);
  }

  private FineTuneConfig copy(int newEpochs, LearningRateSchedule.Kind newSchedule,
      int newPatience, int newMaxTrain, long newSeed, boolean newFreeze) {
    return new FineTuneConfig(newEpochs, learningRate, batchSize, weightDecay, newSchedule,
        warmupFraction, minLearningRateFraction, gradientClipNorm, newPatience, selectionMetric,
        evalBatchSize, newMaxTrain, newSeed, newFreeze, rule, beta1, beta2, epsilon,
        decayApplies, warmupSteps, selection, evalEverySteps, maxTokens);
  }

  public FineTuneConfig withSeed(long value) {
    return copy(epochs, schedule, patience, maxTrainExamples, value, freezeEncoder);
  }

  public FineTuneConfig withEpochs(int value) {
    return copy(value, schedule, patience, maxTrainExamples, seed, freezeEncoder);
  }

  public FineTuneConfig withMaxTrainExamples(int value) {
    return copy(epochs, schedule, patience, value, seed, freezeEncoder);
  }

  public FineTuneConfig withSchedule(LearningRateSchedule.Kind value) {
    return copy(epochs, value, patience, maxTrainExamples, seed, freezeEncoder);
  }

  public FineTuneConfig withPatience(int value) {
    return copy(epochs, schedule, value, maxTrainExamples, seed, freezeEncoder);
  }

  public FineTuneConfig withFreezeEncoder(boolean value) {
    return copy(epochs, schedule, patience, maxTrainExamples, seed, value);
  }

  /** This configuration with another selection rule, evaluated every {@code everySteps}. */
  public FineTuneConfig withSelection(Recipe.Selection.Kind value, int everySteps) {
    return new FineTuneConfig(epochs, learningRate, batchSize, weightDecay, schedule,
        warmupFraction, minLearningRateFraction, gradientClipNorm, patience, selectionMetric,
        evalBatchSize, maxTrainExamples, seed, freezeEncoder, rule, beta1, beta2, epsilon,
        decayApplies, warmupSteps, value, everySteps, maxTokens);
  }

  /** The schedule for a run of {@code totalSteps} optimizer steps. */
  public LearningRateSchedule scheduleFor(long totalSteps) {
    return switch (schedule) {
      case WARMUP_COSINE -> LearningRateSchedule.warmupCosine(learningRate,
          Math.max(1, Math.round(warmupFraction * totalSteps)), totalSteps,
          minLearningRateFraction);
      case ONE_CYCLE -> LearningRateSchedule.oneCycle(learningRate, totalSteps,
          warmupFraction > 0 ? warmupFraction : 0.3);
      case LINEAR_DECAY -> LearningRateSchedule.linearDecay(learningRate, warmupSteps,
          totalSteps);
      case CONSTANT -> LearningRateSchedule.constant(learningRate);
    };
  }
}
