package io.dnalab.model;

import ai.djl.nn.Block;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Recipe;
import io.dnalab.spec.Recipes;

/**
 * The Genomic Benchmarks CNN's registry entry: {@link CnnBaseline}, classifier only (it pools
 * inside its stages, so there is no per-position encoder to pretrain or freeze).
 *
 * <p>Code versions: 1, the first registry entry (ReLU after every stage); 2, ReLU after
 * the first stage only, as the Genomic Benchmarks reference.
 */
final class CnnBaselineFamily implements ModelFamily<ModelSpec.CnnBaseline> {
  @Override
  public Class<ModelSpec.CnnBaseline> specType() {
    return ModelSpec.CnnBaseline.class;
  }

  /** The Genomic Benchmarks reference training of this CNN. */
  @Override
  public Recipe defaultRecipe() {
    return Recipes.gbCnnRecipe();
  }

  @Override
  public int codeVersion() {
    return 2;
  }

  /** Its embedding has the rows of the single-nucleotide layout only. */
  @Override
  public boolean accepts(InputVocabulary vocabulary) {
    return vocabulary.nucleotide();
  }

  @Override
  public SequenceClassifier classifier(ModelSpec.CnnBaseline spec, int numClasses, int maxLength,
      InputVocabulary vocabulary) {
    if (!accepts(vocabulary)) {
      throw new IllegalArgumentException("cnn-baseline reads single-nucleotide ids only (its "
          + "embedding has the 6 rows of A, C, G, T, N, PAD), got " + vocabulary);
    }
    return new CnnBaseline(maxLength, numClasses);
  }

  @Override
  public TokenEncoder encoder(ModelSpec.CnnBaseline spec, InputVocabulary vocabulary) {
    throw new IllegalArgumentException(spec.id() + " pools inside its stages and has no "
        + "per-position output to pretrain; use " + ModelRegistry.familiesWithEncoder());
  }

  @Override
  public double forwardFlopsPerToken(ModelSpec.CnnBaseline spec, Block model, int length) {
    return ModelFamily.weightsPerPosition(model);
  }

  @Override
  public double approximateParameters(ModelSpec.CnnBaseline spec) {
    return 1e5; // three small conv stages and a dense layer (20k–264k with the input length)
  }
}
