package io.dnalab.data;

import java.util.Arrays;

/** An open-addressing set of longs (k-mer codes): 8 bytes per slot instead of a boxed Long. */
final class LongHashSet {
  private static final long EMPTY = Long.MIN_VALUE;
  private long[] slots;
  private int size;
  private boolean hasEmptyValue;

  LongHashSet(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    slots = new long[capacity];
    Arrays.fill(slots, EMPTY);
  }

  boolean add(long value) {
    if (value == EMPTY) {
      boolean added = !hasEmptyValue;
      hasEmptyValue = true;
      size += added ? 1 : 0;
      return added;
    }
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    int i = index(value, slots.length);
    while (slots[i] != EMPTY) {
      if (slots[i] == value) {
        return false;
      }
      i = (i + 1) & (slots.length - 1);
    }
    slots[i] = value;
    size++;
    return true;
  }

  boolean contains(long value) {
    if (value == EMPTY) {
      return hasEmptyValue;
    }
    int i = index(value, slots.length);
    while (slots[i] != EMPTY) {
      if (slots[i] == value) {
        return true;
      }
      i = (i + 1) & (slots.length - 1);
    }
    return false;
  }

  int size() {
    return size;
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    Arrays.fill(slots, EMPTY);
    for (long v : old) {
      if (v != EMPTY) {
        int i = index(v, slots.length);
        while (slots[i] != EMPTY) {
          i = (i + 1) & (slots.length - 1);
        }
        slots[i] = v;
      }
    }
  }

  private static int index(long value, int capacity) {
    long h = value * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & (capacity - 1);
  }
}
