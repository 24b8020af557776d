package io.dnalab.checkpoint;

/**
 * A checkpoint file cannot be read or does not hold the tensors expected. The message starts with
 * the file and names the tensor (or pickle global, opcode, JSON field) at fault.
 */
public final class CheckpointFileException extends RuntimeException {
  public CheckpointFileException(String message) {
    super(message);
  }

  public CheckpointFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
