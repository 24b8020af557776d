package io.dnalab.metrics;

import java.util.Locale;

/**
 * What a comparison cost in compute: wall seconds on a device and, where known, floating-point
 * operations. The hour unit says honestly what the seconds were spent on: a GPU-hour when the
 * device is a GPU, a CPU-hour otherwise (the wall time of a process on the CPU, not core-hours).
 *
 * @param seconds wall seconds
 * @param flops floating-point operations, NaN when not estimated
 * @param device the device as engines describe it, e.g. {@code PyTorch 2.5.1 cpu(), 2 intra-op
 *     threads} or {@code gpu(0)}
 */
public record ComputeCost(double seconds, double flops, String device) {

  public ComputeCost {
    if (!(seconds >= 0)) {
      throw new IllegalArgumentException("cost seconds must be zero or more, got " + seconds);
    }
    if (flops < 0) {
      throw new IllegalArgumentException("cost FLOPs must be zero or more, got " + flops);
    }
    device = device == null ? "" : device;
  }

  /** Whether the device is a GPU (the engine's description names {@code gpu} or {@code cuda}). */
  public boolean onGpu() {
    String lower = device.toLowerCase(Locale.ROOT);
    return lower.contains("gpu") || lower.contains("cuda");
  }

  public double deviceHours() {
    return seconds / 3600;
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
