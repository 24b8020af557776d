package io.dnalab.result;

import java.util.Locale;

/**
 * What a training run, or a group of runs, cost: the one cost value of dnalab (a fine-tuning
 * run's cost columns, a pretraining's cost, the cost a pretraining gain is normalised by).
 *
 * <p>The hour unit says honestly what the seconds were spent on: a GPU-hour when the device is a
 * GPU, a CPU-hour otherwise (the wall time of a process on the CPU, not core-hours).
 *
 * @param parameters trainable scalars of the trained model, -1 when not counted
 * @param tokensSeen non-padding input tokens over all optimizer steps (epochs × examples for
 *     fine-tuning; steps × batch × tokens per window for pretraining), -1 when not counted
 * @param wallSeconds wall time of the run
 * @param device engine, device and threads as engines describe it, e.g. {@code PyTorch 2.5.1
 *     cpu(), 2 intra-op threads} or {@code gpu(0)}
 * @param flops analytic estimate of training FLOPs (forward + backward = 3 × forward), see
 *     {@code io.dnalab.train.Flops}; NaN when not estimated
 */
public record Cost(long parameters, long tokensSeen, double wallSeconds, String device,
    double flops) {

  public Cost {
    if (!(wallSeconds >= 0)) {
      throw new IllegalArgumentException("cost seconds must be zero or more, got " + wallSeconds);
    }
    if (flops < 0) {
      throw new IllegalArgumentException("cost FLOPs must be zero or more, got " + flops);
    }
    device = device == null ? "" : device;
  }

  /** A cost known by its time, FLOPs and device only (parameters and tokens not counted). */
  public static Cost of(double wallSeconds, double flops, String device) {
    return new Cost(-1, -1, wallSeconds, device, flops);
  }

  /** Whether the device is a GPU (the engine's description names {@code gpu} or {@code cuda}). */
  public boolean onGpu() {
    String lower = device.toLowerCase(Locale.ROOT);
    return lower.contains("gpu") || lower.contains("cuda");
  }

  public double deviceHours() {
    return wallSeconds / 3600;
  }

  /** Peta-FLOPs (10^15), NaN when not estimated. */
  public double pflops() {
    return flops / 1e15;
  }

  /** {@code GPU-hour} or {@code CPU-hour}. */
  public String hourUnit() {
    return onGpu() ? "GPU-hour" : "CPU-hour";
  }
}
