package io.dnalab.data;

/**
 * The base-level input policy shared by every reader.
 *
 * <ul>
 *   <li>Accepted: {@code A C G T N}. Lower-case {@code a c g t n} (soft-masked repeats in FASTA)
 *       are accepted and upper-cased: models see bases, not masking.
 *   <li>Errors: IUPAC ambiguity codes ({@code R Y S W K M B D H V}), which dnalab does not guess
 *       at (replace them with N upstream if that is what you mean); {@code U}, gaps, digits,
 *       whitespace and anything else; an empty sequence.
 * </ul>
 */
public final class SequenceValidator {
  private static final String IUPAC_AMBIGUITY = Dna.IUPAC_AMBIGUITY
      + Dna.IUPAC_AMBIGUITY.toLowerCase(java.util.Locale.ROOT);

  private SequenceValidator() {}

  /**
   * Checks one sequence and returns it upper-cased.
   *
   * @param firstColumn the 1-based column of the sequence's first character in its line, so the
   *     error can point at the offending character
   * @throws DataFormatException naming file, line, column and the offending character
   */
  public static String normalize(String sequence, String file, long line, int firstColumn) {
    if (sequence.isEmpty()) {
      throw new DataFormatException(file, line, firstColumn, "", "empty sequence");
    }
    boolean hasLowerCase = false;
    for (int i = 0; i < sequence.length(); i++) {
      char c = sequence.charAt(i);
      switch (c) {
        case 'A', 'C', 'G', 'T', 'N' -> { }
        case 'a', 'c', 'g', 't', 'n' -> hasLowerCase = true;
        default -> throw invalidBase(sequence, c, i + 1, file, line, firstColumn + i);
      }
    }
    return hasLowerCase ? upperCase(sequence) : sequence;
  }

  /** Whether {@code c} is an accepted base (either case). */
  public static boolean isAccepted(char c) {
    return switch (c) {
      case 'A', 'C', 'G', 'T', 'N', 'a', 'c', 'g', 't', 'n' -> true;
      default -> false;
    };
  }

  /**
   * The error for character {@code c}, the {@code basePosition}-th (1-based) base of its sequence,
   * found at {@code column} of {@code line}; {@code value} is the text shown (the sequence or the
   * line).
   */
  static DataFormatException invalidBase(String value, char c, long basePosition, String file,
      long line, int column) {
    String shown = describe(c);
    String problem = IUPAC_AMBIGUITY.indexOf(c) >= 0
        ? "IUPAC ambiguity code " + shown + " at base " + basePosition
            + " is not accepted (only A, C, G, T, N); replace it with N or drop the record"
        : "invalid base " + shown + " at base " + basePosition + " (only A, C, G, T, N)";
    return new DataFormatException(file, line, column, value, problem);
  }

  static String describe(char c) {
    if (c == '\r') {
      return "'\\r'";
    }
    if (c < 0x20 || c > 0x7e) {
      return String.format("U+%04X", (int) c);
    }
    return "'" + c + "'";
  }

  private static String upperCase(String s) {
    char[] chars = s.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      char c = chars[i];
      if (c >= 'a' && c <= 'z') {
        chars[i] = (char) (c - 32);
      }
    }
    return new String(chars);
  }
}
