package io.dnalab.train;

/**
 * The seam between tokenisation and models: a sequence in, token ids out. Tokenizers plug in here;
 * until they land, {@link NucleotideEncoder} gives single-nucleotide ids (ConvNova's input).
 * Implementations are pure and thread-safe (the input pipeline encodes off the training thread).
 */
public interface SequenceEncoder {

  /** Token ids of one sequence, each in {@code 0..vocabSize()-1} and never {@link #padId()}. */
  int[] encode(String sequence);

  /** Number of ids including padding. */
  int vocabSize();

  /** The id batches are padded with. */
  int padId();

  /** A short name for run records, e.g. {@code nucleotide}. */
  String id();
}
