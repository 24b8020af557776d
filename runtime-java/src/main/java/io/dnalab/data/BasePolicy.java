package io.dnalab.data;

/**
 * How the bases of a FASTA file are read: named, chosen explicitly by every caller of {@link
 * FastaReader}, and recorded with what was read (a genome that {@code data check} rejects is only
 * pretrained on under {@link #LENIENT_CORPUS}, and the corpus says so).
 *
 * <p>Common to both: lower-case {@code a c g t n} (soft-masked repeats) are upper-cased and
 * counted; spaces, tabs and {@code \r} in sequence lines are ignored; digits, punctuation,
 * non-ASCII bytes and letters that are neither a base nor an IUPAC ambiguity code ({@code U},
 * {@code X}, ...) are errors naming file, line, column and value.
 */
public enum BasePolicy {
  /**
   * Tasks and {@code data check}: only {@code A C G T N}; an IUPAC ambiguity code is an error
   * (dnalab does not guess at the bases of a labelled example). Every record needs a unique,
   * non-empty id and at least one base, and a file at least one record.
   */
  STRICT(false, true),
  /**
   * Pretraining corpora (genomes, BPE training text): IUPAC ambiguity codes ({@code R Y S W K M B
   * D H V}, either case) are read as N and counted; records without bases are passed on and
   * counted; ids are not checked.
   */
  LENIENT_CORPUS(true, false);

  /** Marks a byte that is no base in {@link #table}: whitespace to skip, or an error. */
  static final int SKIP = 0;
  static final int REJECT = -1;
  /** Flag bits above the normalized byte in {@link #table}. */
  static final int SOFT_MASKED = 1 << 8;
  static final int AMBIGUOUS = 1 << 9;

  private final boolean ambiguityCodesAsN;
  private final boolean strictRecords;
  /**
   * Byte to: the normalized upper-case base (low 8 bits) with {@link #SOFT_MASKED} / {@link
   * #AMBIGUOUS} flags; {@link #SKIP}; or {@link #REJECT}. One lookup per byte in the fast path.
   */
  private final int[] table = new int[256];

  BasePolicy(boolean ambiguityCodesAsN, boolean strictRecords) {
    this.ambiguityCodesAsN = ambiguityCodesAsN;
    this.strictRecords = strictRecords;
    java.util.Arrays.fill(table, REJECT);
    table[' '] = SKIP;
    table['\t'] = SKIP;
    table['\r'] = SKIP;
    for (char base : Dna.BASES.toCharArray()) {
      table[base] = base;
      table[Character.toLowerCase(base)] = base | SOFT_MASKED;
    }
    if (ambiguityCodesAsN) {
      for (char code : Dna.IUPAC_AMBIGUITY.toCharArray()) {
        table[code] = 'N' | AMBIGUOUS;
        table[Character.toLowerCase(code)] = 'N' | AMBIGUOUS | SOFT_MASKED;
      }
    }
  }

  /** Whether IUPAC ambiguity codes are read as N (else they are errors). */
  public boolean ambiguityCodesAsN() {
    return ambiguityCodesAsN;
  }

  /**
   * Whether records are checked strictly: unique non-empty ids, no record without bases, at least
   * one record.
   */
  public boolean strictRecords() {
    return strictRecords;
  }

  /** The entry of {@code b} (0..255) in the byte table described at {@link #table}. */
  int[] table() {
    return table;
  }

  /**
   * The error for character {@code c}, the {@code basePosition}-th (1-based) base of its record,
   * at {@code column} of {@code line}; {@code value} is the line as shown to the user.
   */
  DataFormatException invalidBase(String value, char c, long basePosition, String file, long line,
      int column) {
    if (this == STRICT) {
      return SequenceValidator.invalidBase(value, c, basePosition, file, line, column);
    }
    return new DataFormatException(file, line, column, value, "invalid base "
        + SequenceValidator.describe(c) + " at base " + basePosition
        + " (a corpus holds A, C, G, T, N and IUPAC ambiguity codes R Y S W K M B D H V)");
  }
}
