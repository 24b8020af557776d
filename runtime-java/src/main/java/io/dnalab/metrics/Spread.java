package io.dnalab.metrics;

import java.util.Arrays;
import java.util.Locale;

/**
 * Mean and sample standard deviation of a metric over seeds: what every comparison table reports
 * per cell. The sd of a single value is NaN (undefined), never 0.
 */
public record Spread(double mean, double sd, int n) {

  public static Spread of(double... values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values to summarise");
    }
    double mean = Arrays.stream(values).sum() / values.length;
    if (values.length == 1) {
      return new Spread(mean, Double.NaN, 1);
    }
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    return new Spread(mean, Math.sqrt(squares / (values.length - 1)), values.length);
  }

  /** {@code mean ± sd} with {@code decimals} places; the mean alone where sd is undefined. */
  public String format(int decimals) {
    String pattern = "%." + decimals + "f";
    String m = String.format(Locale.ROOT, pattern, mean);
    return Double.isNaN(sd) ? m : m + " ± " + String.format(Locale.ROOT, pattern, sd);
  }
}
