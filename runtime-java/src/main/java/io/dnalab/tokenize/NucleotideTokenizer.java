package io.dnalab.tokenize;

import io.dnalab.data.Dna;
import java.util.ArrayList;
import java.util.List;

/**
 * One token per base: {@code [PAD] [UNK] [CLS] [SEP] [MASK] A C G T N} (ids 0 to 9). A letter
 * outside A C G T N after {@link DnaAlphabet normalization} (e.g. {@code U}, {@code X}) is
 * {@code [UNK]}. Saved as a Hugging Face WordLevel model with a one-character Split pre-tokenizer.
 */
public final class NucleotideTokenizer extends AbstractTokenizer {

  /** Input byte to token id; -1 marks a byte that is not a letter. */
  private final int[] idOfByte;
  private final byte[] normalizer;

  /** dnalab's standard nucleotide tokenizer. */
  public static NucleotideTokenizer create() {
    List<String> tokens = new ArrayList<>(SpecialTokens.NAMES);
    for (char c : Dna.BASES.toCharArray()) {
      tokens.add(String.valueOf(c));
    }
    Vocabulary vocabulary = Vocabulary.of(tokens);
    return new NucleotideTokenizer(
        vocabulary,
        SpecialTokens.STANDARD,
        DnaAlphabet.normalizationTable(),
        defaultOptions(SpecialTokens.STANDARD));
  }

  /**
   * The same tokenizer with the id layout of dnalab's convolutional models, as {@link Dna}
   * defines it: {@code A C G T N} are 0 to 4 (the one-hot channels ConvNova and the U-Net read),
   * then {@code [PAD] [MASK] [UNK] [CLS] [SEP]} (5 to 9). The experiment engine uses it for single-nucleotide cells, so a
   * model pretrained on these ids and one fine-tuned with {@code train.NucleotideEncoder} (A..N =
   * 0..4, PAD = 5) read the same ids, and masked positions ([MASK] = 6) are an all-zero one-hot
   * column for the convolutional models.
   */
  public static NucleotideTokenizer oneHotLayout() {
    String[] tokens = new String[Dna.NUCLEOTIDE_IDS];
    for (int id = 0; id < Dna.BASE_IDS; id++) {
      tokens[id] = String.valueOf(Dna.BASES.charAt(id));
    }
    tokens[Dna.PAD_ID] = SpecialTokens.PAD;
    tokens[Dna.MASK_ID] = SpecialTokens.MASK;
    tokens[Dna.UNK_ID] = SpecialTokens.UNK;
    tokens[Dna.CLS_ID] = SpecialTokens.CLS;
    tokens[Dna.SEP_ID] = SpecialTokens.SEP;
    SpecialTokens specials =
        new SpecialTokens(Dna.PAD_ID, Dna.UNK_ID, Dna.CLS_ID, Dna.SEP_ID, Dna.MASK_ID);
    return new NucleotideTokenizer(Vocabulary.of(List.of(tokens)), specials,
        DnaAlphabet.normalizationTable(), defaultOptions(specials));
  }

  NucleotideTokenizer(Vocabulary vocabulary, SpecialTokens specials, byte[] normalizer, Options options) {
    super(vocabulary, specials, options);
    this.normalizer = normalizer;
    this.idOfByte = new int[256];
    for (int b = 0; b < 256; b++) {
      byte n = normalizer[b];
      if (n == DnaAlphabet.INVALID) {
        idOfByte[b] = -1;
        continue;
      }
      int id = vocabulary.id(String.valueOf((char) (n & 0xFF)));
      idOfByte[b] = id >= 0 ? id : specials.unk();
      if (idOfByte[b] < 0) {
        idOfByte[b] = -2; // no [UNK]: the letter is dropped, as Hugging Face's WordLevel cannot
      }
    }
  }

  byte[] normalizer() {
    return normalizer;
  }

  @Override
  public String type() {
    return "nucleotide";
  }

  @Override
  Tokenizer withOptions(Options options) {
    return new NucleotideTokenizer(vocabulary, specials, normalizer, options);
  }

  @Override
  public void encodeTo(byte[] sequence, int from, int to, IntList out) {
    int size = out.size();
    out.ensureCapacity(size + (to - from));
    int[] dst = out.array();
    int[] table = idOfByte;
    for (int i = from; i < to; i++) {
      int id = table[sequence[i] & 0xFF];
      if (id < 0) {
        if (id == -1) {
          out.setSize(size);
          throw DnaAlphabet.invalidByte(sequence, from, i);
        }
        continue;
      }
      dst[size++] = id;
    }
    out.setSize(size);
  }

  @Override
  public String toString() {
    return "NucleotideTokenizer" + describe();
  }
}
