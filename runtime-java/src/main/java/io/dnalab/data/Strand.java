package io.dnalab.data;

/** The strand of an annotated feature. */
public enum Strand {
  FORWARD,
  REVERSE,
  /** GFF3 {@code .} or {@code ?}: not stranded or not known. */
  UNKNOWN
}
