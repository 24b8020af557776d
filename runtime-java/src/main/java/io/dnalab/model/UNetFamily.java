package io.dnalab.model;

import ai.djl.nn.Block;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Recipe;
import io.dnalab.spec.Recipes;

/** The 1-D U-Net's registry entry: {@link UNet1d}, {@link UNet1dEncoder}. */
final class UNetFamily implements ModelFamily<ModelSpec.UNet> {
  @Override
  public Class<ModelSpec.UNet> specType() {
    return ModelSpec.UNet.class;
  }

  /**
   * ConvNova's recipe: the U-Net has no published DNA fine-tuning recipe of its own, and it is,
   * like ConvNova, a convolutional encoder trained from scratch in the same cost class (AdamW
   * 1e-3 with cosine decay is the schedule both the HyenaDNA/ConvNova code line and most 1-d
   * U-Net trainings use), whereas the DNABERT-2 recipe's 3e-5 is tuned for a pretrained
   * transformer and the CNN recipe for a fixed-length dense head.
   */
  @Override
  public Recipe defaultRecipe() {
    return Recipes.convNovaRecipe();
  }

  @Override
  public int codeVersion() {
    return 1;
  }

  @Override
  public SequenceClassifier classifier(ModelSpec.UNet spec, int numClasses, int maxLength,
      InputVocabulary vocabulary) {
    return new UNet1d(spec, numClasses, vocabulary);
  }

  @Override
  public TokenEncoder encoder(ModelSpec.UNet spec, InputVocabulary vocabulary) {
    return new UNet1dEncoder(spec, vocabulary);
  }

  @Override
  public double forwardFlopsPerToken(ModelSpec.UNet spec, Block model, int length) {
    return ModelFamily.weightsPerPosition(model);
  }

  @Override
  public double approximateParameters(ModelSpec.UNet spec) {
    double total = 0;
    for (int level = 0; level < spec.depth(); level++) {
      double channels = (double) spec.width() * (1 << level);
      total += 4 * channels * channels * 3; // two k=3 convolutions down, two up
    }
    return total;
  }
}
