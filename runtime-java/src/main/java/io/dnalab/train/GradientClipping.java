package io.dnalab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.List;

/** Global-norm gradient clipping shared by fine-tuning and pretraining. */
public final class GradientClipping {
  private GradientClipping() {}

  /**
   * Scales all gradients by min(1, maxNorm / ‖g‖₂) with ‖g‖₂ over every parameter at once, as
   * {@code torch.nn.utils.clip_grad_norm_} (coefficient maxNorm / (norm + 1e-6), applied when
   * &lt; 1). Returns the norm before clipping.
   */
  public static double clipGlobalNorm(List<NDArray> gradients, double maxNorm) {
    NDList squares = new NDList(gradients.size());
    for (NDArray gradient : gradients) {
      squares.add(gradient.square().sum());
    }
    double norm = Math.sqrt(NDArrays.stack(squares).sum().getFloat());
    double coefficient = maxNorm / (norm + 1e-6);
    if (coefficient < 1) {
      for (NDArray gradient : gradients) {
        gradient.muli((float) coefficient);
      }
    }
    return norm;
  }
}
