package io.dnalab.tokenize;

import java.util.Arrays;

/**
 * A growable array of {@code int} without boxing: the output buffer of the encoders' hot paths.
 * Reuse one per thread with {@link #clear()} to encode without allocating.
 */
public final class IntList {
  private int[] values;
  private int size;

  public IntList() {
    this(64);
  }

  public IntList(int initialCapacity) {
    values = new int[Math.max(4, initialCapacity)];
  }

  public void add(int value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, values.length + (values.length >> 1) + 4);
    }
    values[size++] = value;
  }

  /** Makes room for {@code extra} more values, so that a loop can write through {@link #array()}. */
  public void ensureCapacity(int capacity) {
    if (capacity > values.length) {
      values = Arrays.copyOf(values, Math.max(capacity, values.length + (values.length >> 1)));
    }
  }

  public int get(int index) {
    if (index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " >= size " + size);
    }
    return values[index];
  }

  public int size() {
    return size;
  }

  public void clear() {
    size = 0;
  }

  /** The backing array; valid up to {@link #size()}. For hot loops that append in bulk. */
  int[] array() {
    return values;
  }

  void setSize(int newSize) {
    size = newSize;
  }

  public int[] toArray() {
    return Arrays.copyOf(values, size);
  }
}
