package io.dnalab.train;

import io.dnalab.result.Cost;
import java.nio.file.Path;
import java.util.List;

/**
 * A finished pretraining run.
 *
 * @param key the content-addressed checkpoint key (see {@link PretrainCheckpoints})
 * @param encoderFile the encoder's parameters ({@code encoder.params}), null when the run kept
 *     no checkpoint
 * @param curve the learning curve: per evaluation, the mean training loss since the previous one
 *     ({@code train}) and the held-out masked-token loss and accuracy ({@code heldout})
 * @param heldOut the held-out metrics after the last step
 * @param baseline the unigram baseline on the same held-out positions
 * @param reused true when the checkpoint existed and nothing was trained
 */
public record PretrainResult(String key, Path encoderFile, List<CurvePoint> curve,
    Metrics heldOut, Metrics baseline, Cost cost, boolean reused) {

  public PretrainResult {
    curve = List.copyOf(curve);
  }

  /** One point of the learning curve; {@code accuracy} is NaN for the training loss. */
  public record CurvePoint(long step, String split, double loss, double accuracy) {}

  /**
   * Loss (mean cross-entropy, nats per predicted token) and top-1 accuracy over the predicted
   * positions (masked tokens, or next tokens), and how many positions.
   */
  public record Metrics(double loss, double accuracy, long positions) {}

  /** Returns this result marked as read from an existing checkpoint. */
  PretrainResult asReused() {
    return new PretrainResult(key, encoderFile, curve, heldOut, baseline, cost, true);
  }
}
