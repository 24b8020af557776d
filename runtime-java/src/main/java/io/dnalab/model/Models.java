package io.dnalab.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.dnalab.experiment.ModelSpec;

/** Builds the block a {@link ModelSpec} names, for a task's class count and longest sequence. */
public final class Models {
  private Models() {}

  /**
   * @param maxLength the longest tokenised sequence of the task (the CNN baseline's dense layer
   *     depends on it; the others accept any length)
   */
  public static SequenceClassifier create(ModelSpec spec, int numClasses, int maxLength) {
    if (spec instanceof ModelSpec.ConvNova convNova) {
      return new ConvNova(convNova, numClasses);
    } else if (spec instanceof ModelSpec.UNet unet) {
      return new UNet1d(unet, numClasses);
    } else if (spec instanceof ModelSpec.CnnBaseline) {
      return new CnnBaseline(maxLength, numClasses);
    }
    throw new IllegalArgumentException("model " + spec.id()
        + " is not a from-scratch classifier dnalab can build yet (convnova, unet, cnn-baseline)");
  }

  /** Initialises parameters (seed the engine first for reproducible values) for (B, L) input. */
  public static SequenceClassifier initialize(SequenceClassifier model, NDManager manager,
      int batch, int length) {
    model.initialize(manager, DataType.FLOAT32, new Shape(batch, length));
    return model;
  }
}
