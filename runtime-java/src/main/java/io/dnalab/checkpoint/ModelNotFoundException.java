package io.dnalab.checkpoint;

/**
 * A model named by folder or hub id is not on this machine. The message lists every place that was
 * looked at and the command that fetches the model on a connected machine; nothing is downloaded.
 */
public final class ModelNotFoundException extends RuntimeException {
  public ModelNotFoundException(String message) {
    super(message);
  }
}
