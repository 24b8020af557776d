package io.dnalab.model;

import ai.djl.nn.Block;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Recipe;
import io.dnalab.spec.Recipes;

/** ConvNova's registry entry: {@link ConvNova}, {@link ConvNovaEncoder}. */
final class ConvNovaFamily implements ModelFamily<ModelSpec.ConvNova> {
  @Override
  public Class<ModelSpec.ConvNova> specType() {
    return ModelSpec.ConvNova.class;
  }

  /** ConvNova's published fine-tuning recipe. */
  @Override
  public Recipe defaultRecipe() {
    return Recipes.convNovaRecipe();
  }

  @Override
  public int codeVersion() {
    return 1;
  }

  @Override
  public SequenceClassifier classifier(ModelSpec.ConvNova spec, int numClasses, int maxLength,
      InputVocabulary vocabulary) {
    return new ConvNova(spec, numClasses, vocabulary);
  }

  @Override
  public TokenEncoder encoder(ModelSpec.ConvNova spec, InputVocabulary vocabulary) {
    return new ConvNovaEncoder(spec, vocabulary);
  }

  @Override
  public double forwardFlopsPerToken(ModelSpec.ConvNova spec, Block model, int length) {
    return ModelFamily.weightsPerPosition(model);
  }

  @Override
  public double approximateParameters(ModelSpec.ConvNova spec) {
    // per block: gated dilated convolution (two width×width×k kernels) and a 1×1 projection
    return (double) spec.blocks() * 3 * spec.width() * spec.width() * spec.kernelSize();
  }
}
