package io.dnalab.cluster;

/** Slurm refused or could not be reached; the message is for the user, one line. */
public final class SlurmException extends RuntimeException {
  public SlurmException(String message) {
    super(message);
  }

  public SlurmException(String message, Throwable cause) {
    super(message, cause);
  }
}
