package io.dnalab.tokenize;

import java.util.List;

/**
 * Ids of the five special tokens ({@code -1} where a vocabulary lacks one). dnalab's own
 * tokenizers put them first: {@code [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 [MASK]=4}; a loaded file keeps
 * its own ids (DNABERT-2: {@code [UNK]=0 [CLS]=1 [SEP]=2 [PAD]=3 [MASK]=4}).
 */
public record SpecialTokens(int pad, int unk, int cls, int sep, int mask) {
  public static final String PAD = "[PAD]";
  public static final String UNK = "[UNK]";
  public static final String CLS = "[CLS]";
  public static final String SEP = "[SEP]";
  public static final String MASK = "[MASK]";

  /** The names in dnalab's id order. */
  public static final List<String> NAMES = List.of(PAD, UNK, CLS, SEP, MASK);

  /** dnalab's layout: the five specials take ids 0 to 4. */
  public static final SpecialTokens STANDARD = new SpecialTokens(0, 1, 2, 3, 4);

  /** Finds the specials by name in a vocabulary ({@code [PAD]}, else {@code <pad>}, and so on). */
  public static SpecialTokens find(Vocabulary vocabulary) {
    return new SpecialTokens(
        find(vocabulary, PAD, "<pad>"),
        find(vocabulary, UNK, "<unk>"),
        find(vocabulary, CLS, "<cls>"),
        find(vocabulary, SEP, "<sep>"),
        find(vocabulary, MASK, "<mask>"));
  }

  private static int find(Vocabulary vocabulary, String bracketName, String angleName) {
    int id = vocabulary.id(bracketName);
    return id >= 0 ? id : vocabulary.id(angleName);
  }

  /** True when {@code id} is one of the five. */
  public boolean isSpecial(int id) {
    return id >= 0 && (id == pad || id == unk || id == cls || id == sep || id == mask);
  }
}
