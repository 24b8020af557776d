package io.dnalab.tokenize;

/**
 * A {@code tokenizer.json} (or a checkpoint's {@code vocab.txt} and its tokenizer files) cannot be
 * read or uses a feature dnalab does not implement. The message names the file, the JSON path (or
 * line and column for syntax errors, or the vocab.txt line) and the offending value.
 */
public final class TokenizerFileException extends RuntimeException {
  public TokenizerFileException(String message) {
    super(message);
  }

  public TokenizerFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
