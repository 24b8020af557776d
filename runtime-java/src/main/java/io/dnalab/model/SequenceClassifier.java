package io.dnalab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;

/**
 * The contract every dnalab classification model keeps, so the fine-tuner treats them alike.
 *
 * <pre>
 * inputs  : ids  (B, L) int64   token ids; for nucleotide models A,C,G,T,N = 0..4 and PAD = 5
 *           mask (B, L) float32 optional; 1 = real token, 0 = padding. Absent means no padding.
 * outputs : logits (B, K) float32, K = number of classes (softmax cross-entropy, also for K = 2)
 * </pre>
 *
 * Models whose {@link #usesPaddingMask()} is true give a real sequence the same logits whatever
 * padding follows it (tested); the others document what padding does to them.
 */
public abstract class SequenceClassifier extends AbstractBlock {

  /** Token id of padding in the single-nucleotide vocabulary (after A, C, G, T, N). */
  public static final int PAD_ID = io.dnalab.data.Dna.PAD_ID;
  /** Size of the single-nucleotide vocabulary including PAD. */
  public static final int NUCLEOTIDE_VOCAB = io.dnalab.data.Dna.PAD_ID + 1;

  protected final int numClasses;

  protected SequenceClassifier(byte version, int numClasses) {
    super(version);
    if (numClasses < 2) {
      throw new IllegalArgumentException("a classifier needs at least 2 classes, got "
          + numClasses);
    }
    this.numClasses = numClasses;
  }

  public int numClasses() {
    return numClasses;
  }

  /** Whether padded positions are excluded from the computation (see class comment). */
  public abstract boolean usesPaddingMask();

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    // (B, L) ids [+ (B, L) mask] -> (B, K) logits
    return new Shape[] {new Shape(inputShapes[0].get(0), numClasses)};
  }

  /** Number of trainable scalars (running statistics of batch norm excluded), once initialised. */
  public long parameterCount() {
    // by type, not by requiresGradient: a frozen encoder's parameters still count
    return Layers.countParameters(this);
  }

  /** The optional padding mask of an input list, as (B, L) float32, or null. */
  protected static NDArray maskOf(NDList inputs) {
    if (inputs.size() < 2) {
      return null;
    }
    NDArray mask = inputs.get(1);
    return mask.getDataType() == DataType.FLOAT32 ? mask : mask.toType(DataType.FLOAT32, false);
  }

  /** Mean over positions (axis 1) of (B, L, C), counting only unmasked ones: -> (B, C). */
  protected static NDArray meanOverPositions(NDArray features, NDArray mask) {
    if (mask == null) {
      return features.mean(new int[] {1});
    }
    NDArray weights = mask.expandDims(2); // (B, L, 1)
    NDArray summed = features.mul(weights).sum(new int[] {1}); // (B, C)
    NDArray counts = mask.sum(new int[] {1}, true).maximum(1f); // (B, 1)
    return summed.div(counts);
  }
}
