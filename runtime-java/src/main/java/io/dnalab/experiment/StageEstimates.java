package io.dnalab.experiment;

import io.dnalab.model.ModelRegistry;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.TokenizerSpec;

/**
 * The planner's time model for a stage with no similar finished run to go on: training costs
 * about 6 FLOPs per parameter per token (forward and backward), evaluation 2, and this machine
 * class sustains about {@link #FLOPS_PER_SECOND}. The rate is calibrated on the two measurements
 * in ARCHITECTURE.md (2 CPU cores, DJL 0.32): a 177k-parameter dilated CNN at 4.5 steps/s of 64 ×
 * 200 tokens is 6.1e10 FLOP/s; a 4 × 256 encoder (3.1M parameters) at 0.25 steps/s is 6.0e10.
 * Parameters come from the model spec's sizes (its family's registry entry); tokens from the
 * task's size in the catalog and the tokenizer's bases per token. An order-of-magnitude guess,
 * replaced by the mean of finished runs as soon as the store has one.
 */
public final class StageEstimates {
  /** Sustained training FLOP/s, see the class comment. */
  public static final double FLOPS_PER_SECOND = 6e10;
  /** BPE training speed, bases per second (ARCHITECTURE.md: 20 Mbp in about 20 s). */
  public static final double BPE_BASES_PER_SECOND = 1e6;

  private StageEstimates() {}

  /**
   * Approximate parameter count of a model spec (within a factor of about 1.5), from its family's
   * {@link ModelRegistry} entry.
   */
  public static double parameters(ModelSpec model) {
    return ModelRegistry.approximateParameters(model);
  }

  /**
   * Bases per token: 1 for nucleotides and overlapping k-mers, k without overlap, ≈5 for BPE;
   * a checkpoint's vocab.txt as its layout tokenizes.
   */
  public static double basesPerToken(TokenizerSpec tokenizer) {
    if (tokenizer instanceof TokenizerSpec.Kmer k) {
      return k.overlapping() ? 1 : k.k();
    }
    if (tokenizer instanceof TokenizerSpec.VocabFile vocab) {
      // DNABERT's overlapping 6-mers: one token per base; NT's non-overlapping 6-mers: six
      return vocab.layout() == TokenizerSpec.VocabFile.Layout.DNABERT ? 1 : 6;
    }
    if (tokenizer instanceof TokenizerSpec.Bpe || tokenizer instanceof TokenizerSpec.FromFile) {
      return 5.25; // DNABERT-2's 4096 BPE on human DNA (ARCHITECTURE.md)
    }
    return 1;
  }

  /** Pretraining: forward + backward over every token of {@code steps × batch} windows. */
  public static double pretrainSeconds(PretrainSpec.Pretrain spec, TokenizerSpec tokenizer,
      ModelSpec model) {
    double tokens = (double) spec.steps() * spec.batchSize() * spec.windowLength()
        / basesPerToken(tokenizer);
    return 6 * parameters(model) * tokens / FLOPS_PER_SECOND;
  }

  /** Fine-tuning for {@code epochs} epochs with dev scoring each epoch and one test pass. */
  public static double finetuneSeconds(TaskFingerprint task, TokenizerSpec tokenizer,
      ModelSpec model, int epochs, int maxTrainExamples) {
    if (task.trainRows() == 0 || task.length() == 0) {
      return Double.NaN;
    }
    double tokens = task.length() / basesPerToken(tokenizer);
    double p = parameters(model);
    long rows = maxTrainExamples > 0 ? Math.min(task.trainRows(), maxTrainExamples)
        : task.trainRows();
    double train = 6 * p * tokens * rows * epochs;
    double eval = 2 * p * tokens * task.evalRows() / 2 * (epochs + 1);
    return (train + eval) / FLOPS_PER_SECOND;
  }

  /** BPE training on the task's train split. */
  public static double tokenizerSeconds(TaskFingerprint task) {
    if (task.trainRows() == 0 || task.length() == 0) {
      return Double.NaN;
    }
    return (double) task.trainRows() * task.length() / BPE_BASES_PER_SECOND;
  }
}
