package io.dnalab.model;

import ai.djl.nn.Block;
import io.dnalab.spec.ModelSpec;

/** The 1-D U-Net's registry entry: {@link UNet1d}, {@link UNet1dEncoder}. */
final class UNetFamily implements ModelFamily<ModelSpec.UNet> {
  @Override
  public Class<ModelSpec.UNet> specType() {
    return ModelSpec.UNet.class;
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
