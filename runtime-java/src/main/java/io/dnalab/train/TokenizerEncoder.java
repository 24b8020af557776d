package io.dnalab.train;

import io.dnalab.model.InputVocabulary;
import io.dnalab.tokenize.Tokenizer;
import io.dnalab.tokenize.Truncation;

/**
 * Any {@link Tokenizer} as the fine-tuner's {@link SequenceEncoder}: a sequence's ids are the
 * tokenizer's model-ready encoding, with {@code [CLS]} / {@code [SEP]} when the tokenizer adds
 * special tokens and truncated when it truncates; padding is left to the batcher, which pads with
 * the tokenizer's {@code [PAD]} id and masks it.
 */
public final class TokenizerEncoder implements SequenceEncoder {
  private final Tokenizer tokenizer;
  private final InputVocabulary vocabulary;

  public TokenizerEncoder(Tokenizer tokenizer) {
    if (tokenizer.specialTokens().pad() < 0) {
      throw new IllegalArgumentException("tokenizer " + tokenizer.type()
          + " has no [PAD] token; batches of unequal lengths need one");
    }
    this.tokenizer = tokenizer.withPadding(null); // batches pad, to their own longest
    this.vocabulary = InputVocabulary.of(tokenizer);
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /**
   * A BPE tokenizer's encodings cut to {@code maxTokens} ids as Hugging Face's tokenizer does
   * with {@code truncation=True, max_length=maxTokens} (DNABERT-2's {@code train.py}): the
   * first {@code maxTokens − 2} sequence tokens, then {@code [SEP]}, after {@code [CLS]}.
   * Other tokenizers are not cut: the published caps count DNABERT-2's BPE tokens, and the same
   * repository's k-mer script ({@code run_dnabert1.sh}) sets caps at or above the k-mer count
   * (prom_core 80 for 65 6-mers), so a BPE cap on k-mers would cut what the authors never cut.
   * A tokenizer that already truncates shorter keeps its own cap.
   */
  @Override
  public SequenceEncoder capped(int maxTokens) {
    if (maxTokens <= 0 || !"bpe".equals(tokenizer.type())) {
      return this;
    }
    Truncation own = tokenizer.truncation();
    if (own != null && own.maxLength() <= maxTokens) {
      return this;
    }
    return new TokenizerEncoder(tokenizer.withTruncation(Truncation.right(maxTokens)));
  }

  @Override
  public int[] encode(String sequence) {
    return tokenizer.encode(sequence).ids();
  }

  @Override
  public int[] specialTokensBefore() {
    return tokenizer.specialTokensBefore();
  }

  @Override
  public int[] specialTokensAfter() {
    return tokenizer.specialTokensAfter();
  }

  @Override
  public int vocabSize() {
    return tokenizer.vocabSize();
  }

  @Override
  public int padId() {
    return tokenizer.specialTokens().pad();
  }

  @Override
  public InputVocabulary vocabulary() {
    return vocabulary;
  }

  @Override
  public String id() {
    return tokenizer.type();
  }
}
