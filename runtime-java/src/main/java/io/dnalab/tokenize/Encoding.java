package io.dnalab.tokenize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One encoded sequence: ids with special tokens, truncation and padding applied; the attention
 * mask (1 = real token, 0 = padding) and the special-tokens mask (1 = added special token or
 * padding). All arrays have {@link #length()} entries. Immutable: the accessors return copies.
 */
public final class Encoding {
  private final int[] ids;
  private final int[] attentionMask;
  private final int[] specialTokensMask;
  private final Vocabulary vocabulary;

  Encoding(int[] ids, int[] attentionMask, int[] specialTokensMask, Vocabulary vocabulary) {
    this.ids = ids;
    this.attentionMask = attentionMask;
    this.specialTokensMask = specialTokensMask;
    this.vocabulary = vocabulary;
  }

  public int length() {
    return ids.length;
  }

  public int[] ids() {
    return ids.clone();
  }

  public int id(int index) {
    return ids[index];
  }

  public int[] attentionMask() {
    return attentionMask.clone();
  }

  public int[] specialTokensMask() {
    return specialTokensMask.clone();
  }

  /** The token strings, for display. */
  public List<String> tokens() {
    List<String> out = new ArrayList<>(ids.length);
    for (int id : ids) {
      out.add(vocabulary.token(id));
    }
    return out;
  }

  @Override
  public String toString() {
    return "Encoding" + Arrays.toString(ids);
  }
}
