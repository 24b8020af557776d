package io.dnalab.spec;

/**
 * A specification that cannot run. The message always names the offending field, the value given
 * and what is allowed, because the person reading it is looking at a notebook cell, not at code.
 */
public final class SpecException extends IllegalArgumentException {
  private final String field;

  public SpecException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  /** The dotted path of the offending field, e.g. {@code finetune.epochs}. */
  public String field() {
    return field;
  }

  static int positive(String field, int value) {
    if (value <= 0) {
      throw new SpecException(field, "must be a positive integer, got " + value);
    }
    return value;
  }

  static double positive(String field, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new SpecException(field, "must be a positive finite number, got " + value);
    }
    return value;
  }

  static int inRange(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new SpecException(
          field, "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  static <T> java.util.List<T> nonEmpty(String field, java.util.List<T> values) {
    if (values == null || values.isEmpty()) {
      throw new SpecException(field, "needs at least one value, got none");
    }
    return java.util.List.copyOf(values);
  }
}
