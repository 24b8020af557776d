package io.dnalab.data;

import java.util.List;

/** The records of one file and what reading it found. */
public record ReadResult(List<LabeledSequence> records, ReadSummary summary) {
  public ReadResult {
    records = List.copyOf(records);
  }
}
