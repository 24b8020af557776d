package io.dnalab.data;

/**
 * One example of a classification task: a DNA sequence, its class index (0-based) and, where the
 * input names its records, the record's id (a FASTA header's id, a Genomic Benchmarks file name,
 * a CSV {@code id} column, a BED interval's name or coordinates).
 *
 * @param id the record's id in its input, null when the input has none (stored predictions then
 *     name the example by its index in the split)
 */
public record LabeledSequence(String sequence, int label, String id) {
  public LabeledSequence {
    if (sequence == null) {
      throw new IllegalArgumentException("sequence is null");
    }
    if (label < 0) {
      throw new IllegalArgumentException("label must be >= 0, got " + label);
    }
    if (id != null && id.isBlank()) {
      id = null;
    }
  }

  /** An example without an id. */
  public LabeledSequence(String sequence, int label) {
    this(sequence, label, null);
  }

  /** The record's id, or {@code index} as text for an input without ids. */
  public String idOr(int index) {
    return id != null ? id : Integer.toString(index);
  }
}
