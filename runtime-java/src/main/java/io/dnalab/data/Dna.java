package io.dnalab.data;

/** Small sequence utilities over upper-case {@code ACGTN} strings. */
public final class Dna {
  private Dna() {}

  /** The reverse complement; N stays N. */
  public static String reverseComplement(String sequence) {
    byte[] out = new byte[sequence.length()];
    for (int i = 0, j = sequence.length() - 1; j >= 0; i++, j--) {
      out[i] = (byte) switch (sequence.charAt(j)) {
        case 'A' -> 'T';
        case 'C' -> 'G';
        case 'G' -> 'C';
        case 'T' -> 'A';
        case 'N' -> 'N';
        default -> throw new IllegalArgumentException("not an ACGTN base: '"
            + sequence.charAt(j) + "'");
      };
    }
    return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /**
   * The strand-independent form of a sequence: the smaller of it and its reverse complement, so
   * a window and the same DNA read from the other strand compare equal.
   */
  public static String canonical(String sequence) {
    String rc = reverseComplement(sequence);
    return rc.compareTo(sequence) < 0 ? rc : sequence;
  }

  /** 2-bit code of a base, -1 for N. */
  static int code(char base) {
    return switch (base) {
      case 'A' -> 0;
      case 'C' -> 1;
      case 'G' -> 2;
      case 'T' -> 3;
      default -> -1;
    };
  }

  /**
   * Calls {@code sink} with the canonical 2-bit encoding of every k-mer ({@code k <= 31}) of
   * {@code sequence} that contains no N. Canonical: the smaller of the k-mer's code and its
   * reverse complement's.
   */
  static void forEachCanonicalKmer(String sequence, int k, java.util.function.LongConsumer sink) {
    if (k < 1 || k > 31) {
      throw new IllegalArgumentException("k must be in 1..31, got " + k);
    }
    long mask = (1L << (2 * k)) - 1;
    int shift = 2 * (k - 1);
    long forward = 0;
    long reverse = 0;
    int valid = 0;
    for (int i = 0; i < sequence.length(); i++) {
      int c = code(sequence.charAt(i));
      if (c < 0) {
        valid = 0;
        forward = 0;
        reverse = 0;
        continue;
      }
      forward = ((forward << 2) | c) & mask;
      reverse = (reverse >>> 2) | ((long) (3 - c) << shift);
      if (++valid >= k) {
        sink.accept(Math.min(forward, reverse));
      }
    }
  }
}
