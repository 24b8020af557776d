package io.dnalab.tokenize;

import java.nio.file.Path;
import java.util.List;

/**
 * Turns DNA sequences into token ids and back. Implementations are immutable and thread-safe: one
 * instance serves every thread; the {@code with...} methods return a changed copy.
 *
 * <p>Two levels: {@link #encodeTo} is the allocation-free hot path (model tokens only, no special
 * tokens, no truncation or padding) for corpora; {@link #encode} and {@link #encodeBatch} give
 * model-ready {@link Encoding}s, with {@code [CLS] ... [SEP]} (when {@link #addsSpecialTokens()}),
 * truncation and padding applied in Hugging Face's order (truncate, add specials, pad).
 *
 * <p>Input policy: see {@link DnaAlphabet} (lowercase is read as uppercase, IUPAC codes as N,
 * non-letters are an error).
 */
public interface Tokenizer {

  /** Short type name: {@code bpe}, {@code kmer}, {@code nucleotide}. */
  String type();

  Vocabulary vocabulary();

  SpecialTokens specialTokens();

  /** The embedding-table size a model needs: one more than the largest id. */
  default int vocabSize() {
    return vocabulary().size();
  }

  /**
   * Appends the model tokens of bases {@code sequence[from, to)} to {@code out}: no special
   * tokens, no truncation, no padding. The hot path: allocates nothing once {@code out} is large
   * enough.
   *
   * @throws InvalidSequenceException for a byte that is not a letter
   */
  void encodeTo(byte[] sequence, int from, int to, IntList out);

  /** The model tokens of a whole sequence (no special tokens). */
  default int[] encodeIds(CharSequence sequence) {
    byte[] bytes = DnaAlphabet.bytes(sequence);
    IntList out = new IntList(bytes.length + 8);
    encodeTo(bytes, 0, bytes.length, out);
    return out.toArray();
  }

  /** One model-ready encoding; padding, if set, pads to its fixed length only. */
  Encoding encode(CharSequence sequence);

  /**
   * Encodings of many sequences, computed in parallel, in input order; {@code BATCH_LONGEST}
   * padding pads all to the longest.
   */
  List<Encoding> encodeBatch(List<? extends CharSequence> sequences);

  /** The bases of {@code ids}, special tokens left out. */
  String decode(int[] ids);

  boolean addsSpecialTokens();

  /** Ids {@link #encode} puts before the sequence's tokens (e.g. {@code [CLS]}); empty when it adds none. */
  int[] specialTokensBefore();

  /** Ids {@link #encode} puts after the sequence's tokens (e.g. {@code [SEP]}); empty when it adds none. */
  int[] specialTokensAfter();

  Truncation truncation();

  Padding padding();

  /** A copy that adds (or not) the special tokens of its template, e.g. {@code [CLS] A [SEP]}. */
  Tokenizer withSpecialTokens(boolean add);

  /** A copy that truncates; null for none. */
  Tokenizer withTruncation(Truncation truncation);

  /** A copy that pads; null for none. Needs a {@code [PAD]} token. */
  Tokenizer withPadding(Padding padding);

  /** Writes Hugging Face {@code tokenizer.json}; see {@link HfTokenizerJson}. */
  default void save(Path path) {
    HfTokenizerJson.save(this, path);
  }
}
