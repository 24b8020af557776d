package io.dnalab.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;

/**
 * The part of a model that pretraining trains and fine-tuning reuses: token ids in, one feature
 * vector per position out. Heads sit on top of it ({@code LanguageModel} for pretraining
 * objectives, a pooled classification head for fine-tuning), so a pretrained checkpoint is exactly
 * this block's parameters.
 *
 * <pre>
 * inputs  : ids  (B, L) int64   token ids of the model's {@link InputVocabulary}
 *           mask (B, L) float32 optional; 1 = real token, 0 = padding. Absent means no padding.
 * outputs : features (B, L, H) float32, H = {@link #hiddenSize()}
 * </pre>
 */
public abstract class TokenEncoder extends AbstractBlock {
  private boolean causal;

  protected TokenEncoder(byte version) {
    super(version);
  }

  /** H, the width of each position's feature vector. */
  public abstract int hiddenSize();

  /** The input vocabulary the encoder embeds. */
  public abstract InputVocabulary vocabulary();

  /**
   * Whether the encoder can be run causally (position i sees positions ≤ i only), which
   * next-token objectives need. Convolutional encoders with centred kernels cannot.
   */
  public boolean supportsCausal() {
    return false;
  }

  /** Runs causally from now on; only for encoders that {@link #supportsCausal()}. */
  public void setCausal(boolean value) {
    if (value && !supportsCausal()) {
      throw new IllegalStateException(getClass().getSimpleName()
          + " sees both sides of every position and cannot be made causal");
    }
    causal = value;
  }

  public boolean isCausal() {
    return causal;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    // (B, L) ids [+ (B, L) mask] -> (B, L, H)
    return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), hiddenSize())};
  }
}
