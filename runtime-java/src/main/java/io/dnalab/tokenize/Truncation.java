package io.dnalab.tokenize;

/**
 * Cut encodings to at most {@code maxLength} ids, special tokens included (as Hugging Face does:
 * the sequence keeps {@code maxLength} minus the number of special tokens). {@code LEFT} drops the
 * first tokens, {@code RIGHT} the last.
 */
public record Truncation(int maxLength, Direction direction) {
  public enum Direction {
    LEFT,
    RIGHT
  }

  public Truncation {
    if (maxLength < 1) {
      throw new IllegalArgumentException("truncation.maxLength must be >= 1, got " + maxLength);
    }
    if (direction == null) {
      throw new IllegalArgumentException("truncation.direction is null");
    }
  }

  public static Truncation right(int maxLength) {
    return new Truncation(maxLength, Direction.RIGHT);
  }
}
