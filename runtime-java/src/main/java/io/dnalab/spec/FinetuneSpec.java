package io.dnalab.spec;

/**
 * The fine-tuning budget; the same for every cell of a comparison.
 *
 * @param freezeEncoder train only the classification head on a frozen encoder (a probe of what
 *     pretraining learnt); false trains the whole model
 * @param maxTrainExamples train on at most this many examples, the same subset (the first of one
 *     fixed shuffle) for every cell and seed, so a comparison fits a CPU budget; 0 = all
 */
public record FinetuneSpec(int epochs, double learningRate, int batchSize, double weightDecay,
    boolean freezeEncoder, int maxTrainExamples) {

  public FinetuneSpec {
    SpecException.inRange("finetune.epochs", epochs, 1, 10_000);
    SpecException.positive("finetune.lr", learningRate);
    SpecException.inRange("finetune.batchSize", batchSize, 1, 65_536);
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new SpecException("finetune.weightDecay",
          "must be a finite number >= 0, got " + weightDecay);
    }
    SpecException.inRange("finetune.maxTrainExamples", maxTrainExamples, 0, Integer.MAX_VALUE);
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

  /** ConvNova's published fine-tuning recipe, shortened to a CPU-sized number of epochs. */
  public static FinetuneSpec defaults() {
    return new FinetuneSpec(3, 1e-3, 64, 0.1);
  }
}
