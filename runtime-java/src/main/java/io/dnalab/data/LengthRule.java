package io.dnalab.data;

/**
 * Which sequence lengths a data set may contain: a declared range (the catalog does for GUE's EMP
 * tasks, whose official files mix 290-500 bp), any length up to a limit (local tasks, whose
 * batches are padded and masked), or, when asked, every record as long as the first.
 *
 * @param maxFromSpec whether {@code max} is the task spec's {@code maxLength} (errors then name
 *     it), rather than a declared range
 */
public record LengthRule(int min, int max, boolean sameAsFirst, boolean maxFromSpec) {

  public LengthRule {
    if (min < 1 || max < min) {
      throw new IllegalArgumentException("length range must satisfy 1 <= min <= max, got "
          + min + ".." + max);
    }
  }

  public LengthRule(int min, int max, boolean sameAsFirst) {
    this(min, max, sameAsFirst, false);
  }

  /**
   * Any length up to the task spec's {@code maxLength} (longer records are refused, naming file,
   * line and length; nothing is truncated); {@code maxLength} 0 means no limit.
   */
  public static LengthRule upTo(int maxLength) {
    return maxLength == 0 ? any() : new LengthRule(1, maxLength, false, true);
  }

  /** This rule with the task spec's {@code maxLength} as its maximum (0: unchanged). */
  public LengthRule withMaxLength(int maxLength) {
    if (maxLength == 0) {
      return this;
    }
    return new LengthRule(Math.min(min, maxLength), Math.min(max, maxLength), sameAsFirst,
        maxLength < max || maxFromSpec);
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
      return max == Integer.MAX_VALUE ? "uniform" : "uniform, at most " + max + " bp";
    }
    if (maxFromSpec) {
      return "at most " + max + " bp (the task's maxLength)";
    }
    if (max == Integer.MAX_VALUE) {
      return min == 1 ? "any" : ">= " + min;
    }
    return min == max ? min + " bp" : min + ".." + max + " bp";
  }
}
