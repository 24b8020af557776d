package io.dnalab.tokenize;

/**
 * A sequence holds a byte that is not a base letter (see {@link DnaAlphabet}), or a corpus file
 * cannot be read as FASTA. The message names the file, line and column when there is one.
 */
public final class InvalidSequenceException extends RuntimeException {
  public InvalidSequenceException(String message) {
    super(message);
  }

  public InvalidSequenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
