package io.dnalab.model;

import io.dnalab.spec.ModelSpec;

/**
 * A 1-D U-Net for classification: {@link UNet1dEncoder} (which documents the architecture), then
 * the mean over real positions and one linear layer.
 *
 * <pre>
 * ids (B, L) ─► UNet1dEncoder ─► (B, L, w) ─mean over real positions─► (B, w) ─Linear─► (B, K)
 * </pre>
 */
public final class UNet1d extends EncoderClassifier {
  /** Kernel of every same-padded convolution. */
  public static final int KERNEL = UNet1dEncoder.KERNEL;

  /** A U-Net over single-nucleotide ids. */
  public UNet1d(ModelSpec.UNet spec, int numClasses) {
    this(spec, numClasses, InputVocabulary.NUCLEOTIDE);
  }

  public UNet1d(ModelSpec.UNet spec, int numClasses, InputVocabulary vocabulary) {
    super(new UNet1dEncoder(spec, vocabulary), numClasses, ModelSpec.Pooling.MEAN);
  }

  public ModelSpec.UNet spec() {
    return encoder().spec();
  }

  @Override
  public UNet1dEncoder encoder() {
    return (UNet1dEncoder) super.encoder();
  }
}
