package io.dnalab.experiment;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the planner knows of a task without reading it: the sha256 of each split's file (the
 * content of a stage key) and, when the catalog says, its size (for time estimates).
 *
 * @param checksums split name (train, dev, test) to the sha256 of its uncompressed file
 * @param trainRows records in the train split, 0 when not known
 * @param evalRows records in dev and test together, 0 when not known
 * @param length sequence length in bases (the longest when they vary), 0 when not known
 */
public record TaskFingerprint(String id, Map<String, String> checksums, long trainRows,
    long evalRows, int length) {

  public TaskFingerprint {
    checksums = java.util.Collections.unmodifiableMap(new TreeMap<>(checksums));
  }

  /** Checksums as provenance labels, e.g. {@code builtin/quickstart/train}. */
  public Map<String, String> labelledChecksums() {
    Map<String, String> labelled = new TreeMap<>();
    checksums.forEach((split, sha) -> labelled.put(id + "/" + split, sha));
    return labelled;
  }
}
