package io.dnalab.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import io.dnalab.spec.ModelSpec;

/**
 * Builds the blocks a {@link ModelSpec} names: an encoder alone (what pretraining saves), a
 * classifier (fine-tuning) or a language model (pretraining), for an {@link InputVocabulary}.
 * Each family's code is its {@link ModelRegistry} entry; this class is the short way to call it.
 */
public final class Models {
  private Models() {}

  /** The per-position encoder of a spec; a family without one (cnn-baseline) refuses. */
  public static TokenEncoder createEncoder(ModelSpec spec, InputVocabulary vocabulary) {
    return ModelRegistry.family(spec).encoder(spec, vocabulary);
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
    return ModelRegistry.family(spec).classifier(spec, numClasses, maxLength, vocabulary);
  }

  /**
   * An encoder with a token-prediction head. BERT ties the decoder to its token embedding when
   * its spec asks ({@code tiedHead}); the convolutional encoders have no such table and are
   * untied.
   */
  public static LanguageModel createLanguageModel(ModelSpec spec, InputVocabulary vocabulary) {
    return ModelRegistry.family(spec).languageModel(spec, vocabulary);
  }

  /** Initialises parameters (seed the engine first for reproducible values) for (B, L) input. */
  public static <B extends AbstractBlock> B initialize(B model, NDManager manager, int batch,
      int length) {
    model.initialize(manager, DataType.FLOAT32, new Shape(batch, length));
    return model;
  }
}
