package io.dnalab.spec;

/**
 * How every cell of a comparison is fine-tuned: a {@link Recipe} (or, when none is named, each
 * model family's own published recipe) with the fields the user set overriding the recipe's for
 * every cell. {@link #resolve} gives the numbers one cell runs with.
 *
 * @param recipe the recipe every cell uses; null = each family's default recipe
 * @param epochs overrides the recipe's epochs for every cell; null = the recipe's
 * @param learningRate overrides the recipe's peak learning rate; null = the recipe's
 * @param batchSize overrides the recipe's batch; null = the recipe's
 * @param weightDecay overrides the recipe's weight decay; null = the recipe's
 * @param freezeEncoder train only the classification head on a frozen encoder (a probe of what
 *     pretraining learnt); false trains the whole model
 * @param maxTrainExamples train on at most this many examples, the same subset (the first of one
 *     fixed shuffle) for every cell and seed, so a comparison fits a CPU budget; 0 = all
 * @param saveModel keep each run's fine-tuned model (parameters, tokenizer, model spec) in the
 *     artifact store under the run's key, for {@code dnalab predict}. Not part of a run's key:
 *     asking for it does not invalidate cached runs (a cached run without its model runs again)
 */
public record FinetuneSpec(Recipe recipe, Integer epochs, Double learningRate,
    Integer batchSize, Double weightDecay, boolean freezeEncoder, int maxTrainExamples,
    boolean saveModel) {

  public FinetuneSpec {
    if (epochs != null) {
      SpecException.inRange("finetune.epochs", epochs, 1, 10_000);
    }
    if (learningRate != null) {
      SpecException.positive("finetune.lr", learningRate);
    }
    if (batchSize != null) {
      SpecException.inRange("finetune.batchSize", batchSize, 1, 65_536);
    }
    if (weightDecay != null && (!(weightDecay >= 0) || Double.isInfinite(weightDecay))) {
      throw new SpecException("finetune.weightDecay",
          "must be a finite number >= 0, got " + weightDecay);
    }
    SpecException.inRange("finetune.maxTrainExamples", maxTrainExamples, 0, Integer.MAX_VALUE);
  }

  /** Models not kept. */
  public FinetuneSpec(Recipe recipe, Integer epochs, Double learningRate, Integer batchSize,
      Double weightDecay, boolean freezeEncoder, int maxTrainExamples) {
    this(recipe, epochs, learningRate, batchSize, weightDecay, freezeEncoder, maxTrainExamples,
        false);
  }

  /** The family's recipe with these four fields overridden (what a 0.1 spec meant). */
  public FinetuneSpec(int epochs, double learningRate, int batchSize, double weightDecay,
      boolean freezeEncoder, int maxTrainExamples) {
    this(null, epochs, learningRate, batchSize, weightDecay, freezeEncoder, maxTrainExamples);
  }

  /** Every training example. */
  public FinetuneSpec(int epochs, double learningRate, int batchSize, double weightDecay,
      boolean freezeEncoder) {
    this(epochs, learningRate, batchSize, weightDecay, freezeEncoder, 0);
  }

  /** Full fine-tuning (nothing frozen). */
  public FinetuneSpec(int epochs, double learningRate, int batchSize, double weightDecay) {
    this(epochs, learningRate, batchSize, weightDecay, false);
  }

  /** Each family's own recipe, nothing overridden, every example, the whole model trained. */
  public static FinetuneSpec defaults() {
    return new FinetuneSpec(null, null, null, null, null, false, 0);
  }

  /** This spec with {@code value} as the recipe of every cell. */
  public FinetuneSpec withRecipe(Recipe value) {
    return new FinetuneSpec(value, epochs, learningRate, batchSize, weightDecay, freezeEncoder,
        maxTrainExamples, saveModel);
  }

  /**
   * This spec keeping (or not) each run's fine-tuned model; {@code withSaveModel(false)} is what
   * a run's key holds, so that saving never changes a key.
   */
  public FinetuneSpec withSaveModel(boolean value) {
    return new FinetuneSpec(recipe, epochs, learningRate, batchSize, weightDecay, freezeEncoder,
        maxTrainExamples, value);
  }

  /**
   * The recipe one cell runs with: this spec's recipe, or {@code familyDefault} when it names
   * none, resolved for {@code task} ({@link Recipe#forTask}), then this spec's overrides.
   */
  public Recipe resolve(Recipe familyDefault, TaskSpec task) {
    Recipe base = recipe != null ? recipe : familyDefault;
    return base.forTask(task).overridden(epochs, learningRate, batchSize, weightDecay);
  }
}
