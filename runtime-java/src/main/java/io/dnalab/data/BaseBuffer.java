package io.dnalab.data;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Accumulates validated, upper-cased bases one byte each (a StringBuilder would hold two bytes
 * per base and copy the whole chromosome again on {@code toString}).
 */
final class BaseBuffer {
  private byte[] bytes = new byte[1 << 12];
  private int length;
  private long softMasked;

  /**
   * Appends the bases of {@code text[from, to)}, skipping characters {@code skip} accepts (spaces,
   * digits in GenBank ORIGIN lines).
   *
   * @return -1 when every character was accepted, else the index of the first invalid one
   */
  int append(String text, int from, int to, boolean skipSpacesAndDigits) {
    ensure(to - from);
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      switch (c) {
        case 'A', 'C', 'G', 'T', 'N' -> bytes[length++] = (byte) c;
        case 'a', 'c', 'g', 't', 'n' -> {
          bytes[length++] = (byte) (c - 32);
          softMasked++;
        }
        default -> {
          if (!(skipSpacesAndDigits && (c == ' ' || (c >= '0' && c <= '9')))) {
            return i;
          }
        }
      }
    }
    return -1;
  }

  /** Appends bases already normalized (upper-case {@code A C G T N}) by {@link FastaReader}. */
  void appendNormalized(byte[] buffer, int from, int to) {
    ensure(to - from);
    System.arraycopy(buffer, from, bytes, length, to - from);
    length += to - from;
  }

  int length() {
    return length;
  }

  long softMasked() {
    return softMasked;
  }

  String take() {
    String s = new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    length = 0;
    softMasked = 0;
    if (bytes.length > 1 << 20) {
      bytes = new byte[1 << 12];
    }
    return s;
  }

  private void ensure(int extra) {
    if (length + extra > bytes.length) {
      long wanted = Math.max((long) bytes.length * 2, (long) length + extra);
      if (wanted > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("sequence longer than 2^31 bases");
      }
      bytes = Arrays.copyOf(bytes, (int) wanted);
    }
  }
}
