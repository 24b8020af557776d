package io.dnalab.tokenize;

import java.util.Arrays;

/**
 * The special tokens put around one sequence: {@code prefix} ids, the sequence, {@code suffix}
 * ids. Hugging Face writes this as a {@code TemplateProcessing} (or {@code BertProcessing}) post
 * processor; dnalab's tokenizers use {@code [CLS] $A [SEP]}.
 */
record SpecialTemplate(int[] prefix, int[] suffix) {
  static final SpecialTemplate NONE = new SpecialTemplate(new int[0], new int[0]);

  static SpecialTemplate clsSep(SpecialTokens specials) {
    if (specials.cls() < 0 || specials.sep() < 0) {
      return NONE;
    }
    return new SpecialTemplate(new int[] {specials.cls()}, new int[] {specials.sep()});
  }

  int count() {
    return prefix.length + suffix.length;
  }

  boolean isEmpty() {
    return count() == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpecialTemplate t
        && Arrays.equals(prefix, t.prefix)
        && Arrays.equals(suffix, t.suffix);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(prefix) + Arrays.hashCode(suffix);
  }

  @Override
  public String toString() {
    return "SpecialTemplate" + Arrays.toString(prefix) + "$A" + Arrays.toString(suffix);
  }
}
