package io.dnalab.experiment;

import ai.djl.ndarray.NDManager;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.model.EncoderClassifier;
import io.dnalab.model.InputVocabulary;
import io.dnalab.model.Models;
import io.dnalab.model.SequenceClassifier;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.tokenize.Tokenizers;
import java.util.OptionalLong;

/**
 * A cell's parameter count for the plan, counted on the model the registry builds: the
 * classifier without its output layer (encoder, and BERT's pooler where the family has one), so
 * the count does not depend on the task's number of classes. {@code dnabert2()} over a 4096-token
 * BPE is 117,068,544, DNABERT-2's published count.
 */
public final class CellParameters {
  /** Classes the counting classifier is built with; its output layer is not counted. */
  private static final int CLASSES = 2;
  /** Sequence length the counting model is initialised for (encoders accept any length). */
  private static final int LENGTH = 8;

  private CellParameters() {}

  /**
   * The count, or empty for a model whose size depends on the task's sequence length (the CNN
   * baseline's dense layer), which planning does not read. Builds and initialises the model on
   * the engine's default device, so the first call starts the engine.
   */
  public static OptionalLong count(ExperimentSpec.Cell cell) {
    if (!ModelSpec.Family.of(cell.model().getClass()).hasEncoder()) {
      return OptionalLong.empty();
    }
    InputVocabulary vocabulary = vocabulary(cell.tokenizer());
    DnalabEngine.startDefault();
    try (NDManager manager = NDManager.newBaseManager()) {
      SequenceClassifier classifier = Models.initialize(
          Models.create(cell.model(), CLASSES, LENGTH, vocabulary), manager, 1, LENGTH);
      long all = classifier.parameterCount();
      if (classifier instanceof EncoderClassifier encoderClassifier) {
        int hidden = encoderClassifier.encoder().hiddenSize();
        return OptionalLong.of(all - ((long) hidden * CLASSES + CLASSES)); // Linear(H → K)
      }
      return OptionalLong.of(all);
    }
  }

  /**
   * The ids a cell's model reads. A BPE tokenizer is not trained for this: its size is the
   * spec's (specials included), and which ids are special does not change the count.
   */
  static InputVocabulary vocabulary(TokenizerSpec tokenizer) {
    if (tokenizer instanceof TokenizerSpec.Nucleotide) {
      return InputVocabulary.NUCLEOTIDE;
    }
    if (tokenizer instanceof TokenizerSpec.Bpe bpe) {
      int[] complements = new int[bpe.vocabSize()];
      for (int id = 0; id < complements.length; id++) {
        complements[id] = id;
      }
      return new InputVocabulary(bpe.vocabSize(), 0, 1, false, complements);
    }
    return InputVocabulary.of(Tokenizers.forStage(tokenizer, null));
  }
}
