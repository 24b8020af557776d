package io.dnalab.tokenize;

import io.dnalab.data.Dna;

/**
 * How dnalab reads bases, for every tokenizer and trainer (documented input policy).
 *
 * <ul>
 *   <li>{@code A C G T N} are bases. Lowercase {@code a c g t n} (soft-masked repeats in genome
 *       FASTA) are read as their uppercase base.
 *   <li>IUPAC ambiguity codes {@code R Y S W K M B D H V} (either case) are read as {@code N}: the
 *       base is not known, which is what {@code N} means to every DNA tokenizer's vocabulary.
 *   <li>Any other letter (e.g. {@code U}, {@code X}) is kept; no DNA vocabulary holds it, so it
 *       becomes {@code [UNK]}, exactly as Hugging Face {@code tokenizers} does for a character
 *       outside the vocabulary.
 *   <li>Any byte that is not an ASCII letter (digits, {@code - * .}, whitespace, non-ASCII) is an
 *       error that names its position: it means the input is not a sequence.
 * </ul>
 *
 * The bases, ambiguity codes and 2-bit codes come from {@link Dna}, dnalab's one alphabet; FASTA
 * files are read by {@code io.dnalab.data.FastaReader} under a named base policy first.
 * Trainers additionally cut their corpus at every {@code N} (see {@link BpeTrainer}). Tokenizers
 * saved by dnalab write this policy into {@code tokenizer.json} as a normalizer, so Hugging Face
 * reads the same input the same way.
 */
public final class DnaAlphabet {
  private DnaAlphabet() {}

  /** Letters read as {@code N}. */
  public static final String IUPAC_AMBIGUITY = Dna.IUPAC_AMBIGUITY;

  /** Marks a byte that is not part of any sequence in {@link #normalizationTable()}. */
  static final byte INVALID = 0;

  private static final byte[] NORMALIZE = new byte[256];
  /** 2-bit code of a normalized base: A=0 C=1 G=2 T=3, -1 for anything else. */
  private static final byte[] CODE = new byte[256];

  static {
    for (int b = 0; b < 256; b++) {
      boolean letter = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
      NORMALIZE[b] = letter ? (byte) b : INVALID;
      CODE[b] = -1;
    }
    for (char c : Dna.BASES.toCharArray()) {
      NORMALIZE[c] = (byte) c;
      NORMALIZE[Character.toLowerCase(c)] = (byte) c;
      CODE[c] = (byte) Dna.code(c); // a copy of Dna's codes, upper case only: one load per base
    }
    for (char c : IUPAC_AMBIGUITY.toCharArray()) {
      NORMALIZE[c] = 'N';
      NORMALIZE[Character.toLowerCase(c)] = 'N';
    }
  }

  /** A fresh copy of the byte-to-byte table of the policy; {@link #INVALID} for non-letters. */
  static byte[] normalizationTable() {
    return NORMALIZE.clone();
  }

  /** The normalized base of {@code b}, or {@link #INVALID}. */
  static byte normalize(byte b) {
    return NORMALIZE[b & 0xFF];
  }

  /** 2-bit code (A=0, C=1, G=2, T=3) of a normalized base, -1 for N or anything else. */
  static int code(byte normalizedBase) {
    return CODE[normalizedBase & 0xFF];
  }

  /** The error for an invalid byte at {@code position} of a sequence (0-based). */
  static InvalidSequenceException invalidByte(byte[] sequence, int from, int position) {
    int b = sequence[position] & 0xFF;
    String shown = b >= 0x20 && b < 0x7F ? "'" + (char) b + "'" : String.format("0x%02X", b);
    return new InvalidSequenceException(
        "invalid character "
            + shown
            + " at position "
            + (position - from)
            + " of the sequence: a sequence holds only letters (A C G T N, IUPAC codes)");
  }

  /** Bytes of a Java string sequence, one byte per char; chars above 0xFF become invalid bytes. */
  static byte[] bytes(CharSequence sequence) {
    int n = sequence.length();
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      char c = sequence.charAt(i);
      out[i] = c < 0x100 ? (byte) c : (byte) 0xFF;
    }
    return out;
  }
}
