package io.dnalab.train;

import io.dnalab.data.Dna;
import io.dnalab.model.InputVocabulary;

/**
 * One id per base in {@link Dna}'s layout: A, C, G, T, N → 0, 1, 2, 3, 4 (either case),
 * padding 5. Any other letter (IUPAC codes R, Y, …) becomes N, which is how ConvNova's and HyenaDNA's
 * character tokenisers treat them (task readers have already rejected them under {@code
 * BasePolicy.STRICT}); anything that is not a letter is an error naming the position.
 */
public final class NucleotideEncoder implements SequenceEncoder {
  public static final NucleotideEncoder INSTANCE = new NucleotideEncoder();
  private static final byte[] CODES = new byte[128];

  static {
    java.util.Arrays.fill(CODES, (byte) -1);
    for (char c = 'A'; c <= 'Z'; c++) {
      CODES[c] = Dna.N_ID;
      CODES[Character.toLowerCase(c)] = Dna.N_ID;
    }
    for (char c : Dna.BASES.toCharArray()) {
      CODES[c] = (byte) Dna.id(c);
      CODES[Character.toLowerCase(c)] = (byte) Dna.id(c);
    }
  }

  private NucleotideEncoder() {}

  @Override
  public int[] encode(String sequence) {
    int[] ids = new int[sequence.length()];
    for (int i = 0; i < ids.length; i++) {
      char c = sequence.charAt(i);
      int code = c < 128 ? CODES[c] : -1;
      if (code < 0) {
        throw new IllegalArgumentException("not a nucleotide at position " + (i + 1) + ": '" + c
            + "' in sequence starting " + sequence.substring(0, Math.min(20, sequence.length())));
      }
      ids[i] = code;
    }
    return ids;
  }

  @Override
  public int vocabSize() {
    return InputVocabulary.NUCLEOTIDE.size();
  }

  @Override
  public int padId() {
    return Dna.PAD_ID;
  }

  @Override
  public InputVocabulary vocabulary() {
    return InputVocabulary.NUCLEOTIDE;
  }

  @Override
  public String id() {
    return "nucleotide";
  }
}
