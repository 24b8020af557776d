package io.dnalab.metrics;

import java.util.Locale;

/**
 * A confidence interval of a mean: the estimate, its bounds, the confidence level, how it was
 * computed and from how many values. With a single value there is no interval: both bounds are
 * NaN and the method is {@link Method#NONE}.
 */
public record Interval(double estimate, double low, double high, double level, Method method,
    int n) {

  /** How an interval was computed; {@link #label} is what tables print. */
  public enum Method {
    /** Student t on n - 1 degrees of freedom: mean ± t · sd / √n. */
    STUDENT_T("t"),
    /** Percentile bootstrap of the mean (exact enumeration for small n, else Monte Carlo). */
    BOOTSTRAP_PERCENTILE("bootstrap"),
    /** Percentile bootstrap over test examples of a paired metric difference ({@link
     * PairedBootstrap}); n counts test examples, not seeds. */
    EXAMPLE_BOOTSTRAP("bootstrap over test examples"),
    /** Welch's t for a difference of two independent means ({@link WelchDifference}); n counts
     * the units of both arms. */
    WELCH_T("Welch t"),
    /** One value: no interval. */
    NONE("n = 1");

    private final String label;

    Method(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public Interval {
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("confidence level must lie in (0, 1), got " + level);
    }
    if (low > high) {
      throw new IllegalArgumentException("interval low " + low + " above high " + high);
    }
  }

  /** Whether an interval exists (more than one value). */
  public boolean defined() {
    return !Double.isNaN(low) && !Double.isNaN(high);
  }

  /** Whether zero lies strictly outside the interval; false when there is no interval. */
  public boolean excludesZero() {
    return defined() && (low > 0 || high < 0);
  }

  /**
   * The same interval for the quantity multiplied by a positive constant (e.g. a gain divided by
   * a fixed cost): both the estimate and the bounds scale, the coverage does not change.
   */
  public Interval scaled(double factor) {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("scale factor must be positive and finite, got " + factor);
    }
    return new Interval(estimate * factor, low * factor, high * factor, level, method, n);
  }

  /** {@code [low, high]} with {@code decimals} places, or {@code —} when there is no interval. */
  public String format(int decimals) {
    if (!defined()) {
      return "—";
    }
    String pattern = "[%." + decimals + "f, %." + decimals + "f]";
    return String.format(Locale.ROOT, pattern, low, high);
  }
}
