package io.dnalab.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Recipe;

/**
 * The code of one model family, its entry in {@link ModelRegistry}: the blocks its spec builds,
 * its FLOPs, the planner's size estimate and the version of its numerics. What the spec layer
 * knows of the family (JSON tag, capabilities) is {@link ModelSpec.Family}, reachable through
 * {@link #capabilities()}.
 *
 * @param <S> the family's spec record
 */
public interface ModelFamily<S extends ModelSpec> {

  /** The spec record this family builds. */
  Class<S> specType();

  /** JSON tag, whether it has an encoder, whether it runs causally, the tokenizers it reads. */
  default ModelSpec.Family capabilities() {
    return ModelSpec.Family.of(specType());
  }

  /**
   * The version of this family's numerics ({@code "convnova-1"}). Bump it whenever the same
   * spec, seed and input give other outputs (initialisation, layer order, a kernel): stage keys
   * carry it, so runs made by older code are not reused, and {@code ModelGoldenTest} pins the
   * outputs of each version.
   */
  int codeVersion();

  /**
   * The fine-tuning recipe cells of this family use when the spec names none
   * ({@code io.dnalab.spec.Recipes}); the spec's fields override it.
   */
  Recipe defaultRecipe();

  /**
   * Whether the family reads ids of {@code vocabulary} (the run-time side of
   * {@link ModelSpec.Family#tokenizers()}).
   */
  default boolean accepts(InputVocabulary vocabulary) {
    return true;
  }

  /**
   * A classifier: ids (B, L) [+ mask (B, L)] to logits (B, numClasses).
   *
   * @param maxLength the longest tokenised sequence of the task (a family whose dense layer
   *     depends on the length needs it; the others accept any length)
   */
  SequenceClassifier classifier(S spec, int numClasses, int maxLength, InputVocabulary vocabulary);

  /**
   * The per-position encoder pretraining trains and fine-tuning reuses: ids (B, L) to features
   * (B, L, H). A family without one ({@code capabilities().hasEncoder()} false) refuses.
   */
  default TokenEncoder encoder(S spec, InputVocabulary vocabulary) {
    throw new IllegalArgumentException(spec.id() + " has no per-position encoder to pretrain; use "
        + ModelRegistry.familiesWithEncoder());
  }

  /** The encoder with a token-prediction head, untied unless the family overrides this. */
  default LanguageModel languageModel(S spec, InputVocabulary vocabulary) {
    return new LanguageModel(encoder(spec, vocabulary), false);
  }

  /**
   * Forward FLOPs per token (a multiply-add counts 2) of {@code model}, this family's initialised
   * encoder or classifier, in sequences of {@code length} tokens; a language-model head is
   * counted apart. Families whose cost is their weights per position use
   * {@link #weightsPerPosition}.
   */
  double forwardFlopsPerToken(S spec, Block model, int length);

  /**
   * Parameters estimated from the spec's sizes alone, within a factor of about 1.5: the planner's
   * time model, before any block is built.
   */
  double approximateParameters(S spec);

  /**
   * Forward FLOPs per position of a convolutional block: per output position each convolution
   * costs 2·k·(Cin/groups)·Cout and each dense layer 2·in·out, i.e. 2 × the size of its weight
   * tensor. Sums 2 × every initialised weight tensor of rank ≥ 2 (the embedding table, a lookup,
   * is skipped by name) and assumes every layer runs at full sequence length, which overestimates
   * downsampled levels (U-Net's, by up to 2^level).
   */
  static double weightsPerPosition(Block block) {
    double total = 0;
    for (Pair<String, Parameter> pair : block.getParameters()) {
      Parameter parameter = pair.getValue();
      if (parameter.getType() != Parameter.Type.WEIGHT || !parameter.isInitialized()) {
        continue;
      }
      Shape shape = parameter.getArray().getShape();
      if (shape.dimension() >= 2 && !pair.getKey().toLowerCase().contains("embedding")) {
        total += 2.0 * shape.size();
      }
    }
    return total;
  }
}
