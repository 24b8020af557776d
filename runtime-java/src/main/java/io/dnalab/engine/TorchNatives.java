package io.dnalab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * The one place that calls PyTorch's natives directly ({@code ai.djl.pytorch.jni}): what DJL's
 * engine-neutral API lacks for a training loop and for describing the engine. Everything else goes
 * through DJL's {@code NDArray} API, so another engine would replace this class only.
 */
public final class TorchNatives {
  private TorchNatives() {}

  /** PyTorch's intra-op thread count. */
  public static int intraOpThreads() {
    return JniUtils.getNumThreads();
  }

  /** Zeroes the gradient buffer of a parameter's array in place (no-op without one). */
  public static void zeroGradient(NDArray parameter) {
    JniUtils.zeroGrad((PtNDArray) parameter);
  }

  /** Whether autograd records operations on this thread ({@link #withoutGradients} turns it off). */
  public static boolean recordsGradients() {
    return JniUtils.isGradMode();
  }

  /** Runs {@code work} with autograd off (no graph is recorded), restoring the mode after. */
  public static <T> T withoutGradients(Supplier<T> work) {
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      return work.get();
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  /**
   * DJL's fused Adam/AdamW update of {@code weight} in place, the kernel behind DJL's {@code
   * AdamW.update} on PyTorch (no gradient rescaling, no element clipping):
   *
   * <pre>
   * w ← w − w·lr·wd                      (decoupled weight decay)
   * m ← β1·m + (1 − β1)·g
   * v ← β2·v + (1 − β2)·g²
   * w ← w − (m·lrBiasCorrection) / (√v + ε)
   * </pre>
   *
   * Each float is passed exactly as DJL passes it, so the result is bit-identical to DJL's.
   */
  public static void fusedAdamWUpdate(NDArray weight, NDArray gradient, NDArray mean,
      NDArray variance, float learningRate, float learningRateBiasCorrection, float weightDecay,
      float beta1, float beta2, float epsilon) {
    JniUtils.adamUpdate((PtNDArray) weight, (PtNDArray) gradient, (PtNDArray) mean,
        (PtNDArray) variance, learningRate, learningRateBiasCorrection, weightDecay, 1f, -1f,
        beta1, beta2, epsilon, true);
  }
}
