package io.dnalab.data;

import java.nio.charset.StandardCharsets;

/**
 * The one DNA alphabet of dnalab: the bases, their complements, their 2-bit codes and the
 * single-nucleotide id layout that tokenizers, models and trainers share. Every other table
 * (tokenizer normalizers, one-hot embeddings, complement ids, reverse complements) is derived
 * from this one, so they cannot disagree.
 *
 * <p>Nucleotide id layout: {@code A C G T N} = 0..4 (the one-hot channels of the convolutional
 * models), {@code [PAD]} = 5, {@code [MASK]} = 6, then {@code [UNK] [CLS] [SEP]} = 7..9.
 */
public final class Dna {
  private Dna() {}

  /** The bases in id order: {@code BASES.charAt(id)} is the base of nucleotide id {@code id}. */
  public static final String BASES = "ACGTN";
  /** The IUPAC ambiguity codes (upper case): more than one base possible, read as N leniently. */
  public static final String IUPAC_AMBIGUITY = "RYSWKMBDHV";

  /** Nucleotide id of N, the last base id; ids {@code 0..N_ID} are bases (one-hot channels). */
  public static final int N_ID = 4;
  /** Number of base ids ({@code A C G T N}), the one-hot width of the convolutional models. */
  public static final int BASE_IDS = 5;
  public static final int PAD_ID = 5;
  public static final int MASK_ID = 6;
  public static final int UNK_ID = 7;
  public static final int CLS_ID = 8;
  public static final int SEP_ID = 9;
  /** Size of the nucleotide id layout (bases and special tokens). */
  public static final int NUCLEOTIDE_IDS = 10;

  /** Upper-case base byte to its complement ({@code A↔T, C↔G, N→N}); 0 for anything else. */
  private static final byte[] COMPLEMENT = new byte[256];
  /** Base byte (either case) to its nucleotide id 0..4; -1 for anything else. */
  private static final byte[] ID = new byte[256];

  static {
    java.util.Arrays.fill(ID, (byte) -1);
    String complements = "TGCAN";
    for (int id = 0; id < BASE_IDS; id++) {
      char base = BASES.charAt(id);
      COMPLEMENT[base] = (byte) complements.charAt(id);
      ID[base] = (byte) id;
      ID[Character.toLowerCase(base)] = (byte) id;
    }
  }

  /** Nucleotide id (0..4) of a base in either case, -1 when {@code base} is not A, C, G, T, N. */
  public static int id(int base) {
    return base >= 0 && base < 256 ? ID[base] : -1;
  }

  /** 2-bit code of a base in either case: A=0 C=1 G=2 T=3; -1 for N and anything else. */
  public static int code(int base) {
    int id = id(base);
    return id < N_ID ? id : -1;
  }

  /** The complement of an upper-case base ({@code A↔T, C↔G, N→N}); 0 for any other byte. */
  public static byte complement(byte base) {
    return COMPLEMENT[base & 0xFF];
  }

  /**
   * The id of the complement of nucleotide id {@code id} ({@code A↔T, C↔G}; N and the special
   * ids are their own complement).
   */
  public static int complementId(int id) {
    return id >= 0 && id < N_ID ? N_ID - 1 - id : id;
  }

  /** {@link #complementId} of every id of the nucleotide layout. */
  public static int[] nucleotideComplementIds() {
    int[] ids = new int[NUCLEOTIDE_IDS];
    for (int id = 0; id < ids.length; id++) {
      ids[id] = complementId(id);
    }
    return ids;
  }

  /** The reverse complement of upper-case {@code ACGTN}; anything else is an error. */
  public static String reverseComplement(String sequence) {
    byte[] out = new byte[sequence.length()];
    for (int i = 0, j = sequence.length() - 1; j >= 0; i++, j--) {
      char c = sequence.charAt(j);
      byte complement = c < 256 ? COMPLEMENT[c] : 0;
      if (complement == 0) {
        throw new IllegalArgumentException("not an ACGTN base: '" + c + "'");
      }
      out[i] = complement;
    }
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /**
   * Reverse complement of upper-case {@code ACGTN} bytes, in place; any other byte becomes N
   * (windows of a corpus hold only ACGTN).
   */
  public static void reverseComplementInPlace(byte[] bases) {
    for (int i = 0, j = bases.length - 1; i <= j; i++, j--) {
      byte a = complementOrN(bases[i]);
      bases[i] = complementOrN(bases[j]);
      bases[j] = a;
    }
  }

  private static byte complementOrN(byte base) {
    byte c = COMPLEMENT[base & 0xFF];
    return c == 0 ? (byte) 'N' : c;
  }

  /**
   * Base-wise complement, not reversed ({@code A↔T, C↔G, N→N}), of an upper-case token; null
   * when it holds a character that is not a base.
   */
  public static String complementOrNull(String token) {
    byte[] out = new byte[token.length()];
    for (int i = 0; i < out.length; i++) {
      char c = token.charAt(i);
      byte complement = c < 256 ? COMPLEMENT[c] : 0;
      if (complement == 0) {
        return null;
      }
      out[i] = complement;
    }
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /**
   * The strand-independent form of a sequence: the smaller of it and its reverse complement, so
   * a window and the same DNA read from the other strand compare equal.
   */
  public static String canonical(String sequence) {
    String rc = reverseComplement(sequence);
    return rc.compareTo(sequence) < 0 ? rc : sequence;
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
      // the complement's 2-bit code is 3 - code (A=0↔T=3, C=1↔G=2)
      reverse = (reverse >>> 2) | ((long) complementId(c) << shift);
      if (++valid >= k) {
        sink.accept(Math.min(forward, reverse));
      }
    }
  }
}
