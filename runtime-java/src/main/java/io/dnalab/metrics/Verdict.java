package io.dnalab.metrics;

/**
 * What a paired comparison lets us say: better or worse only when the 95% interval of the mean
 * difference excludes zero; otherwise (including a single seed, which has no interval) "no clear
 * difference". When a run of either arm is flagged degenerate ({@link DegenerateRun}), the
 * difference measures that collapse, not the arms: "arm collapsed", whatever the interval.
 */
public enum Verdict {
  BETTER("better"),
  WORSE("worse"),
  NO_CLEAR_DIFFERENCE("no clear difference"),
  ARM_COLLAPSED("arm collapsed");

  private final String label;

  Verdict(String label) {
    this.label = label;
  }

  /** The verdict on a difference (treated minus control) from its interval. */
  public static Verdict of(Interval difference) {
    if (!difference.excludesZero()) {
      return NO_CLEAR_DIFFERENCE;
    }
    return difference.low() > 0 ? BETTER : WORSE;
  }

  /**
   * The verdict on a difference whose arms may hold degenerate runs: {@link #ARM_COLLAPSED} when
   * {@code armCollapsed}, else {@link #of(Interval)}.
   */
  public static Verdict of(Interval difference, boolean armCollapsed) {
    return armCollapsed ? ARM_COLLAPSED : of(difference);
  }

  public String label() {
    return label;
  }
}
