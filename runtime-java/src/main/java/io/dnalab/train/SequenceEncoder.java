package io.dnalab.train;

import io.dnalab.model.InputVocabulary;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.tokenize.Tokenizer;

/**
 * The seam between tokenisation and models: a sequence in, token ids out. Tokenizers plug in here;
 * {@link TokenizerEncoder} adapts any tokenizer, {@link NucleotideEncoder} gives single-nucleotide ids (ConvNova's input).
 * Implementations are pure and thread-safe (the input pipeline encodes off the training thread).
 */
public interface SequenceEncoder {

  /** Token ids of one sequence, each in {@code 0..vocabSize()-1} and never {@link #padId()}. */
  int[] encode(String sequence);

  /** Number of ids including padding. */
  int vocabSize();

  /** The id batches are padded with. */
  int padId();

  /**
   * What a model needs to know about these ids. The default knows only the size and the pad id
   * (no mask token, no complements); encoders backed by a tokenizer say more.
   */
  default InputVocabulary vocabulary() {
    int[] same = new int[vocabSize()];
    for (int id = 0; id < same.length; id++) {
      same[id] = id;
    }
    return new InputVocabulary(vocabSize(), padId(), -1, false, same);
  }

  /** A short name for run records, e.g. {@code nucleotide}. */
  String id();

  /**
   * The special ids {@link #encode} puts before a sequence's tokens ({@code [CLS]}); empty when
   * it adds none. Pretraining windows carry the same ids, so a pooled {@code [CLS]} is a token
   * pretraining saw.
   */
  default int[] specialTokensBefore() {
    return new int[0];
  }

  /** The special ids {@link #encode} puts after a sequence's tokens ({@code [SEP]}); may be empty. */
  default int[] specialTokensAfter() {
    return new int[0];
  }

  /**
   * This encoder with a recipe's token cap ({@code Recipe.maxTokens}, DNABERT-2's
   * {@code model_max_length}) applied where the cap means something; 0 = no cap. The published
   * caps count BPE tokens (about 0.25 × the task's bp), so only a BPE tokenizer is cut
   * ({@link TokenizerEncoder#capped}); the default, for single-nucleotide ids, cuts nothing: a
   * cap of 20 BPE tokens would leave 20 of prom_core's 70 bases.
   */
  default SequenceEncoder capped(int maxTokens) {
    return this;
  }

  /**
   * The encoder a cell with {@code spec} fine-tunes with, and whose special-token template its
   * pretraining windows carry: single-nucleotide cells read {@link NucleotideEncoder}'s ids (no
   * [CLS], no [SEP]), every other tokenizer its own model-ready encoding.
   *
   * @param tokenizer the tokenizer of the cell's stage ({@code Tokenizers.forStage})
   */
  static SequenceEncoder of(TokenizerSpec spec, Tokenizer tokenizer) {
    return spec instanceof TokenizerSpec.Nucleotide ? NucleotideEncoder.INSTANCE
        : new TokenizerEncoder(tokenizer);
  }
}
