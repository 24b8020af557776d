package io.dnalab.metrics;

/**
 * What a paired comparison lets us say: better or worse only when the 95% interval of the mean
 * difference excludes zero; otherwise (including a single seed, which has no interval) "no clear
 * difference".
 */
public enum Verdict {
  BETTER("better"),
  WORSE("worse"),
  NO_CLEAR_DIFFERENCE("no clear difference");

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

  public String label() {
    return label;
  }
}
