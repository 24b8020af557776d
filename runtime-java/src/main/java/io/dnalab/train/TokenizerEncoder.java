package io.dnalab.train;

import io.dnalab.model.InputVocabulary;
import io.dnalab.tokenize.Tokenizer;

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
