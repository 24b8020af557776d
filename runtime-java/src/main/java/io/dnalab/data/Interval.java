package io.dnalab.data;

/** A half-open interval {@code [start, end)} of 0-based positions on a contig. */
public record Interval(int start, int end) implements Comparable<Interval> {
  public Interval {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("interval needs 0 <= start <= end, got [" + start + ", "
          + end + ")");
    }
  }

  public int length() {
    return end - start;
  }

  public boolean overlaps(Interval other) {
    return start < other.end && other.start < end;
  }

  @Override
  public int compareTo(Interval other) {
    return start != other.start ? Integer.compare(start, other.start)
        : Integer.compare(end, other.end);
  }
}
