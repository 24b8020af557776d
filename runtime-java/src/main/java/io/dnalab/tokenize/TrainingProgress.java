package io.dnalab.tokenize;

/** Progress of a trainer: a phase name and how far it is ({@code done} of {@code total}). */
@FunctionalInterface
public interface TrainingProgress {
  TrainingProgress NONE = (phase, done, total) -> {};

  void onProgress(String phase, long done, long total);
}
