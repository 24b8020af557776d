package io.dnalab.tokenize;

/**
 * Pad encodings with {@code [PAD]} (attention mask 0): to the longest encoding of a batch, or to a
 * fixed length; then up to a multiple of {@code padToMultipleOf} when it is above 1. {@code RIGHT}
 * appends, {@code LEFT} prepends.
 */
public record Padding(Strategy strategy, int length, Direction direction, int padToMultipleOf) {
  public enum Strategy {
    BATCH_LONGEST,
    FIXED
  }

  public enum Direction {
    LEFT,
    RIGHT
  }

  public Padding {
    if (strategy == null || direction == null) {
      throw new IllegalArgumentException("padding.strategy and padding.direction must be set");
    }
    if (strategy == Strategy.FIXED && length < 1) {
      throw new IllegalArgumentException("padding.length must be >= 1 for FIXED, got " + length);
    }
    if (padToMultipleOf < 0) {
      throw new IllegalArgumentException("padding.padToMultipleOf must be >= 0");
    }
  }

  public static Padding batchLongest() {
    return new Padding(Strategy.BATCH_LONGEST, 0, Direction.RIGHT, 0);
  }

  public static Padding fixed(int length) {
    return new Padding(Strategy.FIXED, length, Direction.RIGHT, 0);
  }

  /** The padded length of a batch whose longest encoding has {@code longest} ids. */
  int target(int longest) {
    int target = strategy == Strategy.FIXED ? length : longest;
    if (padToMultipleOf > 1 && target % padToMultipleOf != 0) {
      target += padToMultipleOf - target % padToMultipleOf;
    }
    return target;
  }
}
