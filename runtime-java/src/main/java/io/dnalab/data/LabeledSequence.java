package io.dnalab.data;

/** One example of a classification task: a DNA sequence and its class index (0-based). */
public record LabeledSequence(String sequence, int label) {
  public LabeledSequence {
    if (sequence == null) {
      throw new IllegalArgumentException("sequence is null");
    }
    if (label < 0) {
      throw new IllegalArgumentException("label must be >= 0, got " + label);
    }
  }
}
