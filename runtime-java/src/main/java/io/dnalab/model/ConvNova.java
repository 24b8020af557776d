package io.dnalab.model;

import io.dnalab.spec.ModelSpec;

/**
 * ConvNova (Bo et al., ICLR 2025) for classification: its backbone ({@link ConvNovaEncoder},
 * which documents the architecture) with the authors' sequence decoder on top, mean over real
 * positions then one linear layer.
 *
 * <pre>
 * ids (B, L) ─► ConvNovaEncoder ─► (B, L, d) ─mean over real positions─► (B, d) ─Linear─► (B, K)
 * </pre>
 *
 * <p>Parameter count, Genomic Benchmarks configuration (d 64, k 5, f 4), two classes: encoder
 * 377,920 (stems 5,888; convs+gates 205,440; block LNs 1,280; head 165,312) + out 130 → 378,050
 * (published ≈0.38M). Nucleotide Transformer configuration (d 128, k 9, f 2): 1,688,448 + 258 =
 * 1,688,706 (published ≈1.69M).
 */
public final class ConvNova extends EncoderClassifier {
  /** See {@link ConvNovaEncoder#STEM_KERNEL}. */
  public static final int STEM_KERNEL = ConvNovaEncoder.STEM_KERNEL;
  /** See {@link ConvNovaEncoder#MAX_DILATION}. */
  public static final int MAX_DILATION = ConvNovaEncoder.MAX_DILATION;

  /** ConvNova over single-nucleotide ids, as published. */
  public ConvNova(ModelSpec.ConvNova spec, int numClasses) {
    this(spec, numClasses, InputVocabulary.NUCLEOTIDE);
  }

  public ConvNova(ModelSpec.ConvNova spec, int numClasses, InputVocabulary vocabulary) {
    super(new ConvNovaEncoder(spec, vocabulary), numClasses, ModelSpec.Pooling.MEAN);
  }

  /** {@code [1, 1, base^0, base^1, …]} capped at {@link #MAX_DILATION}, one entry per block. */
  public static int[] dilationSchedule(int blocks, int base) {
    return ConvNovaEncoder.dilationSchedule(blocks, base);
  }

  /** See {@link ConvNovaEncoder#receptiveField()}. */
  public int receptiveField() {
    return encoder().receptiveField();
  }

  public ModelSpec.ConvNova spec() {
    return encoder().spec();
  }

  @Override
  public ConvNovaEncoder encoder() {
    return (ConvNovaEncoder) super.encoder();
  }
}
