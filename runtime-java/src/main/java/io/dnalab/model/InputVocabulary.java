package io.dnalab.model;

import io.dnalab.data.Dna;
import io.dnalab.tokenize.Tokenizer;
import io.dnalab.tokenize.Vocabulary;
import java.util.Arrays;

/**
 * What a model needs to know about its tokenizer's ids.
 *
 * @param size the embedding-table size (one more than the largest id)
 * @param padId the id batches are padded with
 * @param maskId the {@code [MASK]} id masked objectives substitute, or -1 when there is none
 * @param nucleotide true for the single-nucleotide ids A, C, G, T, N = 0..4, PAD = 5 that the
 *     convolutional models read as one-hot channels
 * @param complementIds for each id, the id of the token with every base complemented (not
 *     reversed: A↔T, C↔G, N stays N), or the id itself for special tokens and for tokens whose
 *     complement is not in the vocabulary. ConvNova's complement branch reads these.
 */
public record InputVocabulary(int size, int padId, int maskId, boolean nucleotide,
    int[] complementIds) {

  /**
   * A, C, G, T, N = 0..4, PAD = 5, MASK = 6, then UNK, CLS, SEP (7..9): the layout {@link Dna}
   * defines and {@code NucleotideTokenizer.oneHotLayout()} builds. Convolutional models read ids
   * 0..4 as one-hot channels and every other id as an all-zero column; fine-tuning from scratch
   * never sees ids above 5, pretraining masks with 6.
   */
  public static final InputVocabulary NUCLEOTIDE = new InputVocabulary(Dna.NUCLEOTIDE_IDS,
      Dna.PAD_ID, Dna.MASK_ID, true, Dna.nucleotideComplementIds());

  public InputVocabulary {
    if (size < 2) {
      throw new IllegalArgumentException("a vocabulary needs at least 2 ids, got " + size);
    }
    if (padId < 0 || padId >= size || maskId >= size) {
      throw new IllegalArgumentException("pad id " + padId + " / mask id " + maskId
          + " outside the vocabulary of " + size);
    }
    if (complementIds.length != size) {
      throw new IllegalArgumentException("complementIds has " + complementIds.length
          + " entries for a vocabulary of " + size);
    }
    complementIds = complementIds.clone();
  }

  /** The vocabulary of a trained tokenizer, complements looked up token by token. */
  public static InputVocabulary of(Tokenizer tokenizer) {
    Vocabulary vocabulary = tokenizer.vocabulary();
    if (hasNucleotideLayout(tokenizer)) {
      return NUCLEOTIDE;
    }
    int size = tokenizer.vocabSize();
    int[] complements = new int[size];
    for (int id = 0; id < size; id++) {
      complements[id] = id;
      if (id < vocabulary.size() && !tokenizer.specialTokens().isSpecial(id)) {
        String token = vocabulary.token(id);
        if (token != null) {
          String complement = Dna.complementOrNull(token);
          if (complement != null && vocabulary.contains(complement)) {
            complements[id] = vocabulary.id(complement);
          }
        }
      }
    }
    return new InputVocabulary(size, tokenizer.specialTokens().pad(),
        tokenizer.specialTokens().mask(), false, complements);
  }

  @Override
  public int[] complementIds() {
    return complementIds.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof InputVocabulary that && size == that.size && padId == that.padId
        && maskId == that.maskId && nucleotide == that.nucleotide
        && Arrays.equals(complementIds, that.complementIds);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(complementIds) + size * 7 + padId;
  }

  @Override
  public String toString() {
    return "InputVocabulary[size=" + size + ", pad=" + padId + ", mask=" + maskId
        + (nucleotide ? ", nucleotide" : "") + "]";
  }

  /** Whether the tokenizer's ids are exactly {@link #NUCLEOTIDE}'s. */
  private static boolean hasNucleotideLayout(Tokenizer tokenizer) {
    Vocabulary vocabulary = tokenizer.vocabulary();
    if (tokenizer.vocabSize() != NUCLEOTIDE.size || tokenizer.specialTokens().pad() != Dna.PAD_ID
        || tokenizer.specialTokens().mask() != Dna.MASK_ID) {
      return false;
    }
    for (int id = 0; id < Dna.BASE_IDS; id++) {
      if (!String.valueOf(Dna.BASES.charAt(id)).equals(vocabulary.token(id))) {
        return false;
      }
    }
    return true;
  }
}
