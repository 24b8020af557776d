package io.dnalab.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import io.dnalab.spec.ModelSpec;

/**
 * Builds the blocks a {@link ModelSpec} names: an encoder alone (what pretraining saves), a
 * classifier (fine-tuning) or a language model (pretraining), for an {@link InputVocabulary}.
 */
public final class Models {
  static final String CNN_HAS_NO_ENCODER = "cnn-baseline pools inside its stages and has no "
      + "per-position output to pretrain; use convnova, unet or bert";

  private Models() {}

  /** The per-position encoder of a spec; the CNN baseline has none. */
  public static TokenEncoder createEncoder(ModelSpec spec, InputVocabulary vocabulary) {
    if (spec instanceof ModelSpec.ConvNova convNova) {
      return new ConvNovaEncoder(convNova, vocabulary);
    } else if (spec instanceof ModelSpec.UNet unet) {
      return new UNet1dEncoder(unet, vocabulary);
    } else if (spec instanceof ModelSpec.Bert bert) {
      return new BertEncoder(bert, vocabulary);
    } else if (spec instanceof ModelSpec.CnnBaseline) {
      throw new IllegalArgumentException(CNN_HAS_NO_ENCODER);
    }
    throw new IllegalArgumentException("unknown model " + spec.id());
  }

  /** A classifier over single-nucleotide ids (A, C, G, T, N = 0..4, PAD = 5). */
  public static SequenceClassifier create(ModelSpec spec, int numClasses, int maxLength) {
    return create(spec, numClasses, maxLength, InputVocabulary.NUCLEOTIDE);
  }

  /**
   * @param maxLength the longest tokenised sequence of the task (the CNN baseline's dense layer
   *     depends on it; the others accept any length)
   */
  public static SequenceClassifier create(ModelSpec spec, int numClasses, int maxLength,
      InputVocabulary vocabulary) {
    if (spec instanceof ModelSpec.ConvNova convNova) {
      return new ConvNova(convNova, numClasses, vocabulary);
    } else if (spec instanceof ModelSpec.UNet unet) {
      return new UNet1d(unet, numClasses, vocabulary);
    } else if (spec instanceof ModelSpec.Bert bert) {
      return new EncoderClassifier(new BertEncoder(bert, vocabulary), numClasses,
          bert.pooling());
    } else if (spec instanceof ModelSpec.CnnBaseline) {
      if (!vocabulary.nucleotide()) {
        throw new IllegalArgumentException("cnn-baseline reads single-nucleotide ids only (its "
            + "embedding has the 6 rows of A, C, G, T, N, PAD), got " + vocabulary);
      }
      return new CnnBaseline(maxLength, numClasses);
    }
    throw new IllegalArgumentException("unknown model " + spec.id());
  }

  /**
   * An encoder with a token-prediction head. BERT ties the decoder to its token embedding when
   * its spec asks ({@code tiedHead}); the convolutional encoders have no such table and are
   * untied.
   */
  public static LanguageModel createLanguageModel(ModelSpec spec, InputVocabulary vocabulary) {
    if (spec instanceof ModelSpec.CnnBaseline) {
      throw new IllegalArgumentException(CNN_HAS_NO_ENCODER);
    }
    boolean tie = spec instanceof ModelSpec.Bert bert && bert.tiedHead();
    return new LanguageModel(createEncoder(spec, vocabulary), tie);
  }

  /** Initialises parameters (seed the engine first for reproducible values) for (B, L) input. */
  public static <B extends AbstractBlock> B initialize(B model, NDManager manager, int batch,
      int length) {
    model.initialize(manager, DataType.FLOAT32, new Shape(batch, length));
    return model;
  }
}
