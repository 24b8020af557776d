package io.dnalab.data;

/**
 * Which sequence lengths a data set may contain. Mixed lengths are an error unless the task
 * declares a range (the catalog does for GUE's EMP tasks, whose official files mix 290-500 bp) or
 * the user asks for {@link #any()}.
 */
public record LengthRule(int min, int max, boolean sameAsFirst) {

  public LengthRule {
    if (min < 1 || max < min) {
      throw new IllegalArgumentException("length range must satisfy 1 <= min <= max, got "
          + min + ".." + max);
    }
  }

  /** Every record as long as the first one read (the default for files nobody declared). */
  public static LengthRule uniform() {
    return new LengthRule(1, Integer.MAX_VALUE, true);
  }

  /** Exactly {@code length} bases. */
  public static LengthRule fixed(int length) {
    return new LengthRule(length, length, false);
  }

  /** Between {@code min} and {@code max} bases, inclusive. */
  public static LengthRule range(int min, int max) {
    return new LengthRule(min, max, false);
  }

  /** Any non-empty length. */
  public static LengthRule any() {
    return new LengthRule(1, Integer.MAX_VALUE, false);
  }

  @Override
  public String toString() {
    if (sameAsFirst) {
      return "uniform";
    }
    if (max == Integer.MAX_VALUE) {
      return min == 1 ? "any" : ">= " + min;
    }
    return min == max ? min + " bp" : min + ".." + max + " bp";
  }
}
